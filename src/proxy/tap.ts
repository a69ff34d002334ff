import type { HttpEvent, RawHeaders, WsCloseEvent, WsMessageEvent, WsOpenEvent } from '../model/index.js';

/**
 * What the proxy reports about the traffic it forwards. Calls are fire-and-forget: the proxy
 * never awaits them, and an implementation that throws is caught and ignored (see safe-tap.ts),
 * so recording can never slow or break forwarding. Times are epoch microseconds with sub-ms
 * resolution (see clock.ts).
 */
export interface Tap {
  /** Request headers arrived (before the body). */
  httpRequest(r: TapHttpRequest): void;
  /** The response finished, or the exchange failed; same exchangeId as its httpRequest. */
  httpExchange(x: TapHttpExchange): void;
  wsOpen(o: TapWsOpen): void;
  wsMessage(m: TapWsMessage): void;
  wsClose(c: TapWsClose): void;
}

export interface TapHttpRequest {
  exchangeId: string;
  connectionId: string;
  clientAddress: string;
  t: number;
  method: string;
  url: string;
  headers: RawHeaders;
}

/** The events as the proxy sees them; the stitcher assigns `seq` within a session. */
export type TapHttpExchange = Omit<HttpEvent, 'seq'>;
export type TapWsOpen = Omit<WsOpenEvent, 'seq'>;
export type TapWsMessage = Omit<WsMessageEvent, 'seq'>;
export type TapWsClose = Omit<WsCloseEvent, 'seq'>;
