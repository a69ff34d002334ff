import type { Dispatcher } from 'undici';
import type { HttpEvent, TransportError } from '../model/event.js';
import type { RawHeaders } from '../model/headers.js';
import type { ExchangeResult } from '../model/run.js';
import type { Carrier } from './carrier.js';
import { epochUs, nowMs } from '../model/clock.js';
import { STOPPED_CODE } from './connections.js';

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

/** A fresh list of fresh pairs: substitution rewrites them, and recorded events are shared by copies. */
export function forwardableHeaders(headers: RawHeaders, drop: ReadonlySet<string> = HOP_HEADERS): RawHeaders {
  const out: RawHeaders = [];
  for (const pair of headers) if (!dropped(pair[0], drop)) out.push([pair[0], pair[1]]);
  return out;
}

/** Header names repeat on every request, so the answer is remembered per name and set. */
const verdicts = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();

function dropped(name: string, drop: ReadonlySet<string>): boolean {
  let known = verdicts.get(drop);
  if (!known) verdicts.set(drop, (known = new Map()));
  let verdict = known.get(name);
  if (verdict === undefined) {
    verdict = drop.has(name.toLowerCase());
    if (known.size < 1000) known.set(name, verdict);
  }
  return verdict;
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

/**
 * Sends one request on the user's own dispatcher and judges it against the recording. It talks
 * to undici's dispatch interface directly, without the stream a body would need: a replay at
 * --speed max spends its time here, and only a link source or a retained result keeps bytes.
 */
export function sendExchange(
  dispatcher: Dispatcher,
  event: HttpEvent,
  request: Carrier & { url: string; headers: RawHeaders },
  options: ExchangeOptions,
): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const handler = new ExchangeHandler(event, request.url, options, resolve);
    dispatcher.dispatch(
      {
        path: request.url,
        method: event.request.method as Dispatcher.HttpMethod,
        headers: flatHeaders(request.headers),
        body: request.body && request.body.byteLength > 0 ? request.body : null,
      },
      handler,
    );
  });
}

/** undici's flat [name, value, ...] form; Array.prototype.flat is slow on this hot path. */
function flatHeaders(headers: RawHeaders): string[] {
  const out = new Array<string>(headers.length * 2);
  for (let i = 0; i < headers.length; i++) {
    out[2 * i] = headers[i]![0];
    out[2 * i + 1] = headers[i]![1];
  }
  return out;
}

/** One exchange's response as it arrives; a class, so the hot path allocates no closures. */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  private readonly sentAt = epochUs();
  private readonly t0 = nowMs();
  private status = 0;
  private ttfbMs = 0;
  private bodySize = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private chunks: Buffer[] | undefined;
  private readonly keep: boolean;

  constructor(
    private readonly event: HttpEvent,
    private readonly url: string,
    private readonly options: ExchangeOptions,
    private readonly resolve: (outcome: ExchangeOutcome) => void,
  ) {
    this.keep = options.keepBody || options.retain;
  }

  onRequestStart(): void {}

  onResponseStart(_controller: unknown, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.ttfbMs = nowMs() - this.t0;
    this.headers = headers;
  }

  onResponseData(_controller: unknown, chunk: Buffer): void {
    this.bodySize += chunk.length;
    if (this.keep) (this.chunks ??= []).push(chunk);
  }

  onResponseEnd(): void {
    const endedMs = nowMs();
    const x = this.result(endedMs);
    x.status = this.status;
    x.ttfbMs = this.ttfbMs;
    const recorded = x.recordedStatus;
    const failure = statusFailure(recorded, this.status);
    if (failure) x.failure = failure;
    // Headers become pairs only where someone reads them: the cookie jar, a link, a stored result.
    let response: Carrier | undefined;
    if (this.keep || this.headers['set-cookie'] !== undefined) {
      const headers = toRawHeaders(this.headers);
      const chunks = this.chunks ?? [];
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      response = { side: 'response', headers, body };
      if (this.options.retain) {
        x.headers = headers;
        x.body = body;
      }
    }
    this.resolve(response ? { result: x, response, endedMs } : { result: x, endedMs });
  }

  onResponseError(_controller: unknown, error: Error): void {
    const endedMs = nowMs();
    const x = this.result(endedMs);
    x.error = transportError(error);
    x.failure = transportFailure(x.error);
    this.resolve({ result: x, endedMs });
  }

  private result(endedMs: number): ExchangeResult {
    const e = this.event;
    const x: ExchangeResult = { seq: e.seq, method: e.request.method, url: this.url, bodySize: this.bodySize, latencyMs: endedMs - this.t0, sentAt: this.sentAt };
    const recorded = e.error ? undefined : e.response?.status;
    if (recorded !== undefined) x.recordedStatus = recorded;
    return x;
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

/** What an exchange or connection in flight when the run was stopped counts as. */
export const STOPPED_FAILURE = 'stopped: the run was aborted';

export function transportFailure(error: TransportError): string {
  if (error.code === STOPPED_CODE) return STOPPED_FAILURE;
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
