import { mkdtemp, rm } from 'node:fs/promises';
import { afterEach, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, RawHeaders, Session, SessionResult, ValueLink } from '../../src/model/index.js';
import { parseLocation } from '../../src/model/location.js';
import { runReplay, type ReplayOptions } from '../../src/replay/run-replay.js';
import type { ReplayReport } from '../../src/report/model.js';
import { RecordingStore } from '../../src/store/recording-store.js';

/**
 * Recordings from a compact script, written straight into a store the way the recorder would:
 * sessions with their events and value links. Times are ms from the recording's start.
 */
export type Step =
  | { http: string; at: number; ms?: number; headers?: RawHeaders; json?: unknown; status?: number; response?: unknown; responseHeaders?: RawHeaders }
  | { wsOpen: string; id: string; at: number; headers?: RawHeaders; status?: number }
  | { ws: string; at: number; client?: unknown; server?: unknown }
  | { wsClose: string; at: number; code: number; reason?: string; by: 'client' | 'server' };

export interface LinkSpec {
  value: string;
  source: { step: number; at: string };
  uses: { step: number; at: string }[];
}

export interface ScriptSession {
  id: string;
  start: number;
  tags?: string[];
  steps: Step[];
  links?: LinkSpec[];
}

export const RECORDING_START_US = 1_700_000_000_000_000;
export const RECORDED_TARGET = 'http://127.0.0.1:9';

export async function tempRoot(): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'reprise-replay-'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A fresh temporary root for every test of the calling describe block, removed after the block's
 * own afterEach hooks have closed what used it (hooks run in stack order).
 */
export function tempRootPerTest(): { readonly root: string } {
  let current: { root: string; remove: () => Promise<void> } | undefined;
  beforeEach(async () => {
    current = await tempRoot();
  });
  afterEach(() => current?.remove());
  return {
    get root() {
      return current!.root;
    },
  };
}

export async function buildRecording(root: string, name: string, sessions: ScriptSession[], target = RECORDED_TARGET): Promise<RecordingStore> {
  const store = await RecordingStore.create(root, {
    name,
    target,
    startedAt: RECORDING_START_US,
    counts: { sessions: sessions.length, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 },
    options: { maxBody: 1 << 20, sessionKeys: [], redact: [] },
  });
  const writer = store.writer();
  for (const script of sessions) {
    const base = RECORDING_START_US + script.start * 1000;
    const events = script.steps.map((step, i) => toEvent(step, i + 1, base));
    const last = events.at(-1);
    const session: Session = {
      id: script.id,
      startedAt: base,
      endedAt: last ? last.t : base,
      tags: script.tags ?? ['anonymous'],
      client: { address: '127.0.0.1' },
      groupedBy: { by: 'link' },
      eventCount: events.length,
      links: (script.links ?? []).map(toLink),
    };
    writer.putSession(session);
    for (const e of events) writer.putEvent(script.id, e);
  }
  await writer.flush();
  return store;
}

function body(value: unknown): { bytes: Uint8Array; size: number; truncated: boolean } {
  const bytes = value === undefined ? Buffer.alloc(0) : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return { bytes, size: bytes.length, truncated: false };
}

function toEvent(step: Step, seq: number, base: number): Event {
  const t = base + step.at * 1000;
  if ('http' in step) {
    const [method, url] = step.http.split(' ') as [string, string];
    const end = t + (step.ms ?? 2) * 1000;
    return {
      type: 'http',
      seq,
      t,
      exchangeId: `x${seq}`,
      connectionId: 'c1',
      clientAddress: '127.0.0.1',
      request: {
        method,
        url,
        httpVersion: '1.1',
        headers: [['host', 'recorded.example'], ...(step.json !== undefined ? ([['content-type', 'application/json']] as RawHeaders) : []), ...(step.headers ?? [])],
        body: body(step.json),
      },
      response: {
        status: step.status ?? 200,
        statusMessage: 'OK',
        headers: [['content-type', 'application/json'], ...(step.responseHeaders ?? [])],
        body: body(step.response ?? {}),
      },
      timing: { start: t, firstByte: end, end },
    };
  }
  if ('wsOpen' in step) {
    return { type: 'ws-open', seq, t, wsId: step.id, connectionId: `w${seq}`, clientAddress: '127.0.0.1', url: step.wsOpen, headers: step.headers ?? [], protocols: [], protocol: '', status: step.status ?? 101 };
  }
  if ('ws' in step) {
    const direction = step.client !== undefined ? 'client' : 'server';
    return { type: 'ws-message', seq, t, wsId: step.ws, direction, opcode: 'text', data: body(step.client ?? step.server) };
  }
  return { type: 'ws-close', seq, t, wsId: step.wsClose, code: step.code, reason: step.reason ?? '', by: step.by };
}

function toLink(spec: LinkSpec): ValueLink {
  const at = (text: string) => {
    const loc = parseLocation(text);
    if (!loc) throw new Error(`bad location in fixture: ${text}`);
    return loc;
  };
  return { value: spec.value, source: { seq: spec.source.step + 1, at: at(spec.source.at) }, uses: spec.uses.map((u) => ({ seq: u.step + 1, at: at(u.at) })) };
}

export interface JourneyOptions {
  id: string;
  start: number;
  user: string;
  /** The token the recorded login returned (stale against any fresh server). */
  token?: string;
  messages?: string[];
  /** Recorded think time between steps, ms. */
  thinkMs?: number;
  /** Recorded wait in the queue before `ready`. */
  queuedMs?: number;
}

/** login -> me -> WebSocket chat with the token -> messages -> leave, as recorded against the protocol. */
export function chatJourney(o: JourneyOptions): ScriptSession {
  const think = o.thinkMs ?? 10;
  const token = o.token ?? `recorded-token-${o.user}-0123456789abcdef`;
  const user = { id: `u_${o.user}`, name: o.user, created_at: '2023-11-14T22:13:20.000Z' };
  const steps: Step[] = [
    { http: 'POST /api/auth/login', at: 0, json: { username: o.user, password: 'secret' }, response: { token, user } },
    { http: 'GET /api/me', at: think, headers: [['authorization', `Bearer ${token}`]], response: user },
    { wsOpen: `/ws/chat?token=${token}`, id: 'w1', at: 2 * think },
  ];
  let at = 2 * think + 1 + (o.queuedMs ?? 0);
  steps.push({ ws: 'w1', at, server: { type: 'ready', user: o.user } });
  for (const text of o.messages ?? ['hello']) {
    at += think;
    steps.push({ ws: 'w1', at, client: { type: 'message', text } });
    at += 5;
    steps.push({ ws: 'w1', at, server: { type: 'reply', text: `echo: ${text}`, at: '2023-11-14T22:13:20.000Z' } });
  }
  at += think;
  steps.push({ ws: 'w1', at, client: { type: 'leave' } });
  steps.push({ wsClose: 'w1', at: at + 1, code: 1000, reason: 'bye', by: 'server' });
  return {
    id: o.id,
    start: o.start,
    tags: ['authenticated'],
    steps,
    links: [{ value: token, source: { step: 0, at: 'json:$.token' }, uses: [{ step: 1, at: 'header:authorization' }, { step: 2, at: 'query:token' }] }],
  };
}

/** Records `sessions`, replays them once against `url`, and returns the results in copy order. */
export async function replayAgainst(
  root: string,
  sessions: ScriptSession[],
  url: string,
  options: Partial<ReplayOptions> = {},
): Promise<{ results: SessionResult[]; report: ReplayReport }> {
  const store = await buildRecording(root, `rec-${Math.random().toString(36).slice(2, 8)}`, sessions);
  try {
    const results: SessionResult[] = [];
    const outcome = await runReplay({ store, targets: [{ role: 'primary', url }], onResult: (r) => results.push(r), ...options });
    results.sort((a, b) => a.copy - b.copy);
    return { results, report: outcome.reports.primary! };
  } finally {
    await store.close();
  }
}
