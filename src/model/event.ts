import type { RawHeaders } from './headers.js';

/**
 * What the recorder captured, one entry per thing that happened in a session. Times are absolute
 * epoch microseconds (`t`); offsets within a session are derived, so a session's events can be
 * re-based without rewriting them. `seq` orders events within their session.
 */
export type Event = HttpEvent | WsOpenEvent | WsMessageEvent | WsCloseEvent;
export type EventType = Event['type'];

/** A body as captured: the bytes (up to the recorder's --max-body), the size that crossed the wire. */
export interface Body {
  bytes: Uint8Array;
  size: number;
  truncated: boolean;
}

export interface HttpRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: RawHeaders;
  body: Body;
}

export interface HttpResponse {
  status: number;
  statusMessage: string;
  headers: RawHeaders;
  body: Body;
}

/** A failure between the proxy and the target; `code` is stable (ECONNREFUSED, ETIMEDOUT, ...). */
export interface TransportError {
  code: string;
  message: string;
}

interface EventBase {
  seq: number;
  t: number;
}

export interface HttpEvent extends EventBase {
  type: 'http';
  exchangeId: string;
  connectionId: string;
  clientAddress: string;
  request: HttpRequest;
  /** What the client got: the target's response, or the proxy's 502/504 when `error` is set. */
  response?: HttpResponse;
  error?: TransportError;
  /** Absolute epoch µs: first request byte, first response byte, last response byte. */
  timing: { start: number; firstByte?: number; end: number };
}

export interface WsOpenEvent extends EventBase {
  type: 'ws-open';
  wsId: string;
  connectionId: string;
  clientAddress: string;
  url: string;
  headers: RawHeaders;
  /** Subprotocols the client offered, and the one the target chose ('' for none). */
  protocols: string[];
  protocol: string;
  /** 101 when the target accepted; otherwise the status it refused with (or 502/504). */
  status: number;
  /** The refusal's response, when the target answered the upgrade with a plain HTTP response. */
  response?: HttpResponse;
  error?: TransportError;
}

export type Direction = 'client' | 'server';
export type Opcode = 'text' | 'binary';

export interface WsMessageEvent extends EventBase {
  type: 'ws-message';
  wsId: string;
  direction: Direction;
  opcode: Opcode;
  data: Body;
}

export type CloseSide = 'client' | 'server' | 'proxy';

export interface WsCloseEvent extends EventBase {
  type: 'ws-close';
  wsId: string;
  code: number;
  reason: string;
  by: CloseSide;
}
