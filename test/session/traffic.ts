import { gzipSync } from 'node:zlib';
import type { Body, RawHeaders } from '../../src/model/index.js';
import type { TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from '../../src/proxy/tap.js';
import type { Stitched, Stitcher } from '../../src/session/stitcher.js';

/** Synthetic taps, in the order and shape a proxy reports them. Times are epoch µs. */
export const T0 = 1_700_000_000_000_000;

export type Payload = string | Buffer | object | undefined;

export function body(data: Payload, encoding?: 'gzip'): Body {
  const raw = data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
  const bytes = encoding === 'gzip' ? gzipSync(raw) : raw;
  return { bytes: new Uint8Array(bytes), size: bytes.length, truncated: false };
}

export interface Req {
  connection: string;
  address?: string;
  userAgent?: string;
  method?: string;
  url: string;
  headers?: RawHeaders;
  body?: Payload;
}

export interface Res {
  status?: number;
  headers?: RawHeaders;
  body?: Payload;
  gzip?: boolean;
}

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

function requestHeaders(req: Req): RawHeaders {
  const headers: RawHeaders = [['Host', 'app.test'], ['User-Agent', req.userAgent ?? 'journey/1.0']];
  if (req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) headers.push(JSON_TYPE);
  return [...headers, ...(req.headers ?? [])];
}

/** Drives a Stitcher with a clock, collecting everything it emits. */
export class Traffic {
  t = T0;
  readonly out: Stitched[] = [];
  private ids = 0;

  constructor(readonly stitcher: Stitcher) {}

  advance(ms: number): number {
    this.t += Math.round(ms * 1000);
    return this.t;
  }

  /** Sends the request head now; the returned function ends the exchange `ms` later. */
  start(req: Req): (res?: Res, ms?: number) => Stitched {
    const exchangeId = `x${++this.ids}`;
    const start = this.advance(1);
    const head: TapHttpRequest = {
      exchangeId,
      connectionId: req.connection,
      clientAddress: req.address ?? '127.0.0.1',
      t: start,
      method: req.method ?? 'GET',
      url: req.url,
      headers: requestHeaders(req),
    };
    this.stitcher.httpRequest(head);
    return (res = {}, ms = 2) => {
      const end = this.advance(ms);
      const headers: RawHeaders = [...(res.headers ?? [])];
      if (res.body !== undefined && typeof res.body === 'object' && !Buffer.isBuffer(res.body)) headers.push(JSON_TYPE);
      if (res.gzip) headers.push(['Content-Encoding', 'gzip']);
      const exchange: TapHttpExchange = {
        type: 'http',
        t: start,
        exchangeId,
        connectionId: head.connectionId,
        clientAddress: head.clientAddress,
        request: { method: head.method, url: head.url, httpVersion: '1.1', headers: head.headers, body: body(req.body) },
        response: { status: res.status ?? 200, statusMessage: 'OK', headers, body: body(res.body, res.gzip ? 'gzip' : undefined) },
        timing: { start, firstByte: end - 500, end },
      };
      return this.one(this.stitcher.httpExchange(exchange));
    };
  }

  exchange(req: Req, res?: Res): Stitched {
    return this.start(req)(res);
  }

  wsOpen(wsId: string, req: Req, status = 101): Stitched {
    const open: TapWsOpen = {
      type: 'ws-open',
      t: this.advance(1),
      wsId,
      connectionId: req.connection,
      clientAddress: req.address ?? '127.0.0.1',
      url: req.url,
      headers: [...requestHeaders(req), ['Upgrade', 'websocket'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']],
      protocols: [],
      protocol: '',
      status,
    };
    return this.one(this.stitcher.wsOpen(open));
  }

  wsMessage(wsId: string, direction: 'client' | 'server', data: Payload): Stitched {
    const message: TapWsMessage = { type: 'ws-message', t: this.advance(1), wsId, direction, opcode: Buffer.isBuffer(data) ? 'binary' : 'text', data: body(data) };
    return this.one(this.stitcher.wsMessage(message));
  }

  wsClose(wsId: string, code = 1000): Stitched {
    const close: TapWsClose = { type: 'ws-close', t: this.advance(1), wsId, code, reason: '', by: 'client' };
    return this.one(this.stitcher.wsClose(close));
  }

  /** The last state of every session, by id. */
  sessions(): Map<string, Stitched['session']> {
    return new Map(this.out.map((s) => [s.session.id, s.session]));
  }

  eventsOf(sessionId: string): Stitched['event'][] {
    return this.out.filter((s) => s.session.id === sessionId).map((s) => s.event).sort((a, b) => a.seq - b.seq);
  }

  private one(emitted: Stitched[]): Stitched {
    if (emitted.length !== 1) throw new Error(`expected one stitched event, got ${emitted.length}`);
    this.out.push(...emitted);
    return emitted[0]!;
  }
}

/** An unsigned JWT: enough for the stitcher, which reads claims and never verifies them. */
export function jwt(claims: object): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** Deterministic pseudo-random numbers, so interleavings are varied but repeatable. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
