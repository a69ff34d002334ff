import type { Body, Event, HttpRequest, HttpResponse } from '../model/event.js';
import type { RawHeaders } from '../model/headers.js';
import type { Session, ValueLink } from '../model/session.js';
import { formatLocation } from '../model/location.js';

/**
 * The stable JSON document of `reprise show --json`: sessions with their events, times as
 * millisecond offsets, bodies as UTF-8 text where they are valid UTF-8 and base64 otherwise.
 */
export interface SessionView {
  id: string;
  tags: string[];
  startedAt: string;
  durationMs: number;
  client: { address: string; userAgent?: string };
  groupedBy: string;
  links: LinkView[];
  events: EventView[];
}

export interface LinkView {
  value: string;
  source: { seq: number; at: string };
  uses: { seq: number; at: string }[];
}

export type EventView = { seq: number; at: number } & (
  | { type: 'http'; request: RequestView; response?: ResponseView; error?: { code: string; message: string }; ttfbMs?: number; durationMs: number }
  | { type: 'ws-open'; wsId: string; url: string; headers: RawHeaders; protocols: string[]; protocol: string; status: number; error?: { code: string; message: string } }
  | ({ type: 'ws-message'; wsId: string; direction: 'client' | 'server'; opcode: 'text' | 'binary'; size: number; truncated: boolean } & ({ data: string } | { dataBase64: string }))
  | { type: 'ws-close'; wsId: string; code: number; reason: string; by: string }
);

type BodyView = ({ body: string } | { bodyBase64: string }) & { bodySize: number; bodyTruncated: boolean };
export type RequestView = { method: string; url: string; headers: RawHeaders } & BodyView;
export type ResponseView = { status: number; headers: RawHeaders } & BodyView;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bodyView(body: Body): BodyView {
  const base = { bodySize: body.size, bodyTruncated: body.truncated };
  try {
    return { body: utf8.decode(body.bytes), ...base };
  } catch {
    return { bodyBase64: Buffer.from(body.bytes).toString('base64'), ...base };
  }
}

const ms = (us: number): number => Math.round(us) / 1000;

function requestView(r: HttpRequest): RequestView {
  return { method: r.method, url: r.url, headers: r.headers, ...bodyView(r.body) };
}

function responseView(r: HttpResponse): ResponseView {
  return { status: r.status, headers: r.headers, ...bodyView(r.body) };
}

export function eventView(event: Event, sessionStart: number): EventView {
  const base = { seq: event.seq, at: ms(event.t - sessionStart) };
  switch (event.type) {
    case 'http':
      return {
        ...base,
        type: 'http',
        request: requestView(event.request),
        ...(event.response && { response: responseView(event.response) }),
        ...(event.error && { error: event.error }),
        ...(event.timing.firstByte !== undefined && { ttfbMs: ms(event.timing.firstByte - event.timing.start) }),
        durationMs: ms(event.timing.end - event.timing.start),
      };
    case 'ws-open':
      return {
        ...base,
        type: 'ws-open',
        wsId: event.wsId,
        url: event.url,
        headers: event.headers,
        protocols: event.protocols,
        protocol: event.protocol,
        status: event.status,
        ...(event.error && { error: event.error }),
      };
    case 'ws-message': {
      const head = { ...base, type: 'ws-message' as const, wsId: event.wsId, direction: event.direction, opcode: event.opcode, size: event.data.size, truncated: event.data.truncated };
      return event.opcode === 'text'
        ? { ...head, data: Buffer.from(event.data.bytes).toString('utf8') }
        : { ...head, dataBase64: Buffer.from(event.data.bytes).toString('base64') };
    }
    case 'ws-close':
      return { ...base, type: 'ws-close', wsId: event.wsId, code: event.code, reason: event.reason, by: event.by };
  }
}

function linkView(link: ValueLink): LinkView {
  return {
    value: link.value,
    source: { seq: link.source.seq, at: formatLocation(link.source.at) },
    uses: link.uses.map((u) => ({ seq: u.seq, at: formatLocation(u.at) })),
  };
}

export function sessionView(session: Session, events: EventView[]): SessionView {
  const g = session.groupedBy;
  return {
    id: session.id,
    tags: session.tags,
    startedAt: new Date(session.startedAt / 1000).toISOString(),
    durationMs: ms(session.endedAt - session.startedAt),
    client: session.client,
    groupedBy: g.by === 'session-key' ? `session-key ${g.spec}` : g.by,
    links: session.links.map(linkView),
    events,
  };
}
