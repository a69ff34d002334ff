import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { fromRawList, headerValue, type RawHeaders, type TransportError } from '../model/index.js';
import { BodyCapture } from './body-capture.js';
import { epochUs } from '../model/clock.js';
import { targetHandshakeHeaders, withoutHopByHop } from './forward-headers.js';
import type { ExchangeIds } from './http-exchange.js';
import { endRaw, writeRawHead } from './raw-response.js';
import type { SafeTap } from './safe-tap.js';
import { failureBody, gatewayFailure } from './upstream-error.js';
import { WsLink } from './ws-link.js';

export interface RelayContext {
  wsOrigin: string;
  tap: SafeTap;
  maxBody: number;
  maxPayload: number;
  timeoutMs: number;
  highWaterMark: number;
  counters: { upstreamErrors: number };
}

/** One client handshake while its target leg is being dialled. */
interface Dial {
  ids: ExchangeIds;
  wsId: string;
  /** As the client sent it, for the recording; `path` is what the target is asked for. */
  url: string;
  path: string;
  start: number;
  headers: RawHeaders;
  offered: string[];
  upstream?: WebSocket;
  /** The target leg's socket, from its 101 response. */
  upstreamSocket?: Duplex;
  /** Lines of the target's 101 the client should see too (Set-Cookie and the like). */
  extraHeaders: string[];
}

/**
 * permessage-deflate is negotiated on each leg on its own. Without context takeover a message
 * under the threshold goes out uncompressed and a compressed one stands alone, so chat-sized
 * messages cost no zlib work (with takeover, ws compresses every message, at a fifth of the rate).
 */
const DEFLATE = { threshold: 1024, serverNoContextTakeover: true, clientNoContextTakeover: true };

/** ws writes these itself on the client's leg; the target's values belong to the other leg. */
const OWN_HANDSHAKE = new Set(['sec-websocket-accept', 'sec-websocket-extensions', 'sec-websocket-protocol']);

/**
 * Relays WebSocket upgrades. `ws` first validates the client's handshake; then the target leg
 * is dialled with the client's headers and query and offered subprotocols, and only once the
 * target has accepted does the client get its 101, carrying the subprotocol the target chose.
 * A target that refuses the upgrade has its response passed to the client as it is; a target
 * that cannot be reached gives the client a 502 or 504.
 */
export class WsRelay {
  private readonly wss: WebSocketServer;
  private readonly dials = new WeakMap<IncomingMessage, Dial>();
  private readonly links = new Set<WsLink>();
  private stopping = false;
  private idleWaiters: (() => void)[] = [];
  /** The most any one leg held for a slow reader (measured when the mark was crossed). */
  peakBufferedBytes = 0;

  constructor(private readonly ctx: RelayContext) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: DEFLATE,
      autoPong: false,
      skipUTF8Validation: true,
      maxPayload: ctx.maxPayload,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean) => void) => this.dial(info.req, done),
      handleProtocols: (_offered, req) => this.dials.get(req)?.upstream?.protocol || false,
    });
    this.wss.on('headers', (lines: string[], req: IncomingMessage) => lines.push(...(this.dials.get(req)?.extraHeaders ?? [])));
  }

  get openCount(): number {
    return this.links.size;
  }

  /** Bytes held now for every relayed connection's slow readers. */
  bufferedBytes(): number {
    let total = 0;
    for (const link of this.links) total += link.buffered;
    return total;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ids: ExchangeIds, path: string): void {
    const offered = (headerValue(fromRawList(req.rawHeaders), 'sec-websocket-protocol') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    this.dials.set(req, {
      ids,
      wsId: ids.exchangeId,
      url: req.url!,
      path,
      start: epochUs(),
      headers: fromRawList(req.rawHeaders),
      offered,
      extraHeaders: [],
    });
    this.wss.handleUpgrade(req, socket, head, (client) => this.join(req, client));
  }

  /** Closes every relayed connection with 1001; resolves when all are closed. */
  shutdown(): Promise<void> {
    this.stopping = true;
    for (const link of this.links) link.shutdown();
    return this.links.size === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  terminate(): void {
    for (const link of this.links) link.terminate();
  }

  private dial(req: IncomingMessage, done: (ok: boolean) => void): void {
    const dial = this.dials.get(req)!;
    const socket = req.socket;
    const offersDeflate = /permessage-deflate/i.test(headerValue(dial.headers, 'sec-websocket-extensions') ?? '');
    let upstream: WebSocket;
    try {
      upstream = new WebSocket(this.ctx.wsOrigin + dial.path, dial.offered, {
        headers: targetHandshakeHeaders(req.rawHeaders, { address: dial.ids.clientAddress }),
        perMessageDeflate: offersDeflate && DEFLATE,
        autoPong: false,
        skipUTF8Validation: true,
        maxPayload: this.ctx.maxPayload,
        handshakeTimeout: this.ctx.timeoutMs,
      });
    } catch (error) {
      endRaw(socket, 400, JSON.stringify({ error: 'bad request', message: (error as Error).message }) + '\n');
      return;
    }
    let settled = false;
    const clientGone = (): void => {
      if (!settled) upstream.terminate();
    };
    socket.once('close', clientGone);
    upstream.on('error', (error) => {
      if (settled) return;
      settled = true;
      this.fail(dial, socket, error);
    });
    upstream.once('upgrade', (res: IncomingMessage) => {
      dial.upstreamSocket = res.socket;
      dial.extraHeaders = linesOf(withoutHopByHop(fromRawList(res.rawHeaders), OWN_HANDSHAKE));
    });
    upstream.once('unexpected-response', (_request, response: IncomingMessage) => {
      settled = true;
      this.refuse(dial, socket, upstream, response);
    });
    upstream.once('open', () => {
      settled = true;
      socket.off('close', clientGone);
      if (!socket.writable) {
        // The client left while the target was accepting: ws would not complete its handshake.
        upstream.terminate();
        return;
      }
      dial.upstream = upstream;
      done(true);
    });
  }

  private join(req: IncomingMessage, client: WebSocket): void {
    const dial = this.dials.get(req)!;
    const upstream = dial.upstream!;
    this.dials.delete(req);
    this.ctx.tap.wsOpen({ ...this.openEvent(dial), protocol: upstream.protocol, status: 101 });
    const link = new WsLink(
      {
        tap: this.ctx.tap,
        maxBody: this.ctx.maxBody,
        highWaterMark: this.ctx.highWaterMark,
        onPressure: (buffered) => {
          if (buffered > this.peakBufferedBytes) this.peakBufferedBytes = buffered;
        },
        onClosed: (l) => this.onLinkClosed(l),
      },
      dial.wsId,
      client,
      upstream,
      { client: req.socket, server: dial.upstreamSocket! },
    );
    this.links.add(link);
    if (this.stopping) link.shutdown();
  }

  /** The target answered the upgrade with a plain response: the client gets it unchanged. */
  private refuse(dial: Dial, socket: Duplex, upstream: WebSocket, response: IncomingMessage): void {
    const body = new BodyCapture(this.ctx.maxBody);
    const recorded = fromRawList(response.rawHeaders);
    if (socket.writable) writeRawHead(socket, response.statusCode!, response.statusMessage!, [...withoutHopByHop(recorded), 'Connection', 'close']);
    response.on('data', (chunk: Buffer) => {
      body.add(chunk);
      if (socket.writable) socket.write(chunk);
    });
    const finish = (): void => {
      socket.end();
      upstream.terminate();
      const status = response.statusCode!;
      this.ctx.tap.wsOpen({
        ...this.openEvent(dial),
        protocol: '',
        status,
        response: { status, statusMessage: response.statusMessage ?? '', headers: recorded, body: body.body() },
      });
    };
    response.once('end', finish);
    response.once('error', finish);
  }

  private fail(dial: Dial, socket: Duplex, error: Error): void {
    this.ctx.counters.upstreamErrors++;
    const failure = gatewayFailure(error);
    endRaw(socket, failure.status, failureBody(failure, this.ctx.wsOrigin));
    this.ctx.tap.wsOpen({ ...this.openEvent(dial), protocol: '', status: failure.status, error: failure.error as TransportError });
  }

  private openEvent(dial: Dial) {
    return {
      type: 'ws-open' as const,
      t: dial.start,
      wsId: dial.wsId,
      connectionId: dial.ids.connectionId,
      clientAddress: dial.ids.clientAddress,
      url: dial.url,
      headers: dial.headers,
      protocols: dial.offered,
    };
  }

  private onLinkClosed(link: WsLink): void {
    this.links.delete(link);
    if (this.links.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

function linesOf(flat: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) lines.push(`${flat[i]}: ${flat[i + 1]}`);
  return lines;
}
