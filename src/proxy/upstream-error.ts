import type { TransportError } from '../model/event.js';

/** What the client gets when the target cannot answer: a status and a one-line JSON body. */
export interface GatewayFailure {
  status: 502 | 504;
  error: TransportError;
}

const TIMEOUTS = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REPRISE_UPSTREAM_TIMEOUT',
]);

/** The most specific stable code: undici wraps socket errors, keeping the system code in `cause`. */
export function transportError(error: unknown): TransportError {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : 'EUPSTREAM';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return { code, message };
}

export function gatewayFailure(error: unknown): GatewayFailure {
  const te = transportError(error);
  return { status: TIMEOUTS.has(te.code) || /timed? ?out/i.test(te.message) ? 504 : 502, error: te };
}

export function failureBody(failure: GatewayFailure, target: string): string {
  const what = failure.status === 504 ? 'target timed out' : 'target unreachable';
  return `${JSON.stringify({ error: what, code: failure.error.code, target, message: failure.error.message })}\n`;
}

/** A client mistake the proxy refuses itself (400), in the same one-line JSON shape. */
export function badRequestBody(message: string): string {
  return `${JSON.stringify({ error: 'bad request', message })}\n`;
}
