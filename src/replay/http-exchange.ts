import type { Dispatcher } from 'undici';
import type { HttpEvent, TransportError } from '../model/event.js';
import type { RawHeaders } from '../model/headers.js';
import type { ExchangeResult } from '../model/run.js';
import type { Carrier } from './carrier.js';
import { epochUs, nowMs } from './clock.js';

/** Headers that describe one hop, not the request; the replayer's own connection sets them. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);

export function forwardableHeaders(headers: RawHeaders, drop: ReadonlySet<string> = HOP_HEADERS): RawHeaders {
  const out: RawHeaders = [];
  for (const [name, value] of headers) if (!drop.has(name.toLowerCase())) out.push([name, value]);
  return out;
}

/** The request as the recording has it, ready for --vary and substitution to rewrite. */
export function outgoingRequest(event: HttpEvent): Carrier & { url: string; headers: RawHeaders } {
  return {
    side: 'request',
    url: requestTarget(event.request.url),
    headers: forwardableHeaders(event.request.headers),
    body: event.request.body.bytes,
  };
}

/** A recorded absolute-form URL (`http://host/path`) keeps only its path and query. */
export function requestTarget(url: string): string {
  if (url.startsWith('/')) return url;
  const scheme = url.indexOf('://');
  if (scheme < 0) return `/${url}`;
  const slash = url.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : url.slice(slash);
}

export interface ExchangeOutcome {
  result: ExchangeResult;
  /** The replayed response's headers and (when kept) body, for substitution to learn from. */
  response?: Carrier;
  /** Monotonic ms when the exchange ended, the anchor for the think time of what follows. */
  endedMs: number;
}

export interface ExchangeOptions {
  /** Keep the body in memory: for substitution (a link source) or for the stored result. */
  keepBody: boolean;
  /** Store headers and body in the result (compare diffs them). */
  retain: boolean;
}

/** Sends one request on the user's own dispatcher and judges it against the recording. */
export async function sendExchange(
  dispatcher: Dispatcher,
  event: HttpEvent,
  request: Carrier & { url: string; headers: RawHeaders },
  options: ExchangeOptions,
): Promise<ExchangeOutcome> {
  const recordedStatus = event.error ? undefined : event.response?.status;
  const base = { seq: event.seq, method: event.request.method, url: request.url, ...(recordedStatus !== undefined && { recordedStatus }) };
  const sentAt = epochUs();
  const t0 = nowMs();
  try {
    const res = await dispatcher.request({
      path: request.url,
      method: event.request.method as Dispatcher.HttpMethod,
      headers: request.headers.flat(),
      body: request.body && request.body.byteLength > 0 ? request.body : null,
    });
    const ttfbMs = nowMs() - t0;
    const chunks: Buffer[] = [];
    let bodySize = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bodySize += chunk.length;
      if (options.keepBody || options.retain) chunks.push(chunk);
    }
    const endedMs = nowMs();
    const headers = toRawHeaders(res.headers);
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const failure = statusFailure(recordedStatus, res.statusCode);
    const result: ExchangeResult = {
      ...base,
      status: res.statusCode,
      bodySize,
      ttfbMs,
      latencyMs: endedMs - t0,
      sentAt,
      ...(options.retain && { headers, body }),
      ...(failure && { failure }),
    };
    return { result, response: { side: 'response', headers, body }, endedMs };
  } catch (error) {
    const endedMs = nowMs();
    const transport = transportError(error);
    return {
      result: { ...base, bodySize: 0, latencyMs: endedMs - t0, sentAt, error: transport, failure: transportFailure(transport) },
      endedMs,
    };
  }
}

/** A changed status class fails the exchange; a recorded transport error accepts any answer. */
export function statusFailure(recorded: number | undefined, now: number): string | undefined {
  if (recorded === undefined) return undefined;
  const a = Math.floor(recorded / 100);
  const b = Math.floor(now / 100);
  return a === b ? undefined : `status ${a}xx -> ${b}xx`;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

export function transportError(error: unknown): TransportError {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : 'EUNKNOWN';
  return { code, message: typeof e?.message === 'string' ? e.message : String(error) };
}

export function transportFailure(error: TransportError): string {
  return TIMEOUT_CODES.has(error.code) ? 'timeout' : `transport ${error.code}`;
}

function toRawHeaders(headers: Record<string, string | string[] | undefined>): RawHeaders {
  const out: RawHeaders = [];
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) for (const v of value) out.push([name, v]);
    else if (value !== undefined) out.push([name, value]);
  }
  return out;
}
