import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Pool } from 'undici';
import { HttpExchange, type ExchangeContext, type ExchangeIds } from './http-exchange.js';
import { listen, serverUrl } from './listen.js';
import { endRaw } from './raw-response.js';
import { NULL_TAP, SafeTap } from './safe-tap.js';
import type { Tap } from './tap.js';
import { forwardPath, parseTarget, type Target } from './target.js';
import { badRequestBody } from './upstream-error.js';
import { WsRelay } from './ws-relay.js';

export interface ProxyOptions {
  /** The one upstream, e.g. http://127.0.0.1:3000. */
  target: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tap?: Tap;
  /** Body bytes kept per request, response or WebSocket message (forwarding is never capped). */
  maxBody?: number;
  /** Connect, response-headers and body-idle timeout towards the target, and the WS handshake's. */
  timeoutMs?: number;
  /** Per relayed WebSocket and direction: bytes queued for a slow reader before the sender is paused. */
  wsHighWaterMark?: number;
  /** Largest WebSocket message relayed (ws's maxPayload on both legs). */
  wsMaxPayload?: number;
  observeAddedLatency?: (seconds: number) => void;
}

export interface ProxyStats {
  proxied: number;
  upstreamErrors: number;
  inFlight: number;
  connections: number;
  wsOpen: number;
  wsBufferedBytes: number;
  wsPeakBufferedBytes: number;
  tapFailures: number;
}

export const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * The forwarding proxy: HTTP through an undici pool with keep-alive, WebSocket through `ws` on
 * both legs, every exchange reported to a tap. Everything a client can do wrong gets a 400;
 * everything the target can do wrong gets a 502/504; nothing reaches an unhandled error event.
 */
export class ProxyServer {
  readonly url: string;
  private readonly connectionIds = new WeakMap<Socket, string>();
  private readonly sockets = new Set<Socket>();
  private nextConnection = 0;
  private nextExchange = 0;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    private readonly pool: Pool,
    private readonly target: Target,
    private readonly ctx: ExchangeContext,
    private readonly relay: WsRelay,
    private readonly safeTap: SafeTap,
  ) {
    this.url = serverUrl(server);
  }

  static async start(options: ProxyOptions): Promise<ProxyServer> {
    const target = parseTarget(options.target);
    const timeoutMs = options.timeoutMs ?? 60_000;
    const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
    const tap = new SafeTap(options.tap ?? NULL_TAP);
    const pool = new Pool(target.origin, { pipelining: 1, connect: { timeout: timeoutMs } });
    const counters = { inFlight: 0, proxied: 0, upstreamErrors: 0 };
    const server = createServer();
    let proxy: ProxyServer | undefined;
    const ctx: ExchangeContext = {
      upstream: pool,
      targetOrigin: target.origin,
      tap,
      maxBody,
      timeoutMs,
      counters,
      ...(options.observeAddedLatency && { observeAddedLatency: options.observeAddedLatency }),
      onSettled: () => proxy?.wakeIfIdle(),
      busy: new Set(),
    };
    const relay = new WsRelay({
      wsOrigin: target.wsOrigin,
      tap,
      maxBody,
      maxPayload: options.wsMaxPayload ?? 100 * 1024 * 1024,
      timeoutMs,
      highWaterMark: options.wsHighWaterMark ?? 1024 * 1024,
      counters,
    });
    try {
      await listen(server, options.host ?? '127.0.0.1', options.port ?? 0, 'proxy');
    } catch (error) {
      await pool.destroy();
      throw error;
    }
    proxy = new ProxyServer(server, pool, target, ctx, relay, tap);
    proxy.wire();
    return proxy;
  }

  stats(): ProxyStats {
    const { proxied, upstreamErrors, inFlight } = this.ctx.counters;
    return {
      proxied,
      upstreamErrors,
      inFlight,
      connections: this.sockets.size,
      wsOpen: this.relay.openCount,
      wsBufferedBytes: this.relay.bufferedBytes(),
      wsPeakBufferedBytes: this.relay.peakBufferedBytes,
      tapFailures: this.safeTap.failures,
    };
  }

  /**
   * Stops accepting, closes WebSockets with 1001, lets in-flight exchanges finish for up to
   * graceMs, then cuts whatever is left.
   */
  async stop(graceMs = 5000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const wsDone = this.relay.shutdown();
    const httpDone = new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.wakeIfIdle();
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all([wsDone, httpDone]), deadline]);
    clearTimeout(timer);
    this.relay.terminate();
    this.server.closeAllConnections();
    await Promise.all([closed, this.pool.destroy()]);
  }

  private wire(): void {
    const { server } = this;
    server.keepAliveTimeout = 30_000; // under node's 60 s headersTimeout
    server.on('connection', (socket: Socket) => {
      this.connectionIds.set(socket, `c${++this.nextConnection}`);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      socket.on('error', () => socket.destroy());
      endRaw(socket, 400, badRequestBody(`CONNECT is refused: this proxy forwards only to ${this.target.origin}`));
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (this.ctx.busy.has(socket)) socket.destroy();
      else onClientError(error, socket);
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = forwardPath(req.url!, this.target);
    if (path === undefined) {
      const body = badRequestBody(`only requests for ${this.target.host} are forwarded, not ${req.url}`);
      res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    new HttpExchange(this.ctx, req, res, this.idsOf(req)).forward(path);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = forwardPath(req.url!, this.target);
    if (path === undefined || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      const why = path === undefined ? `only requests for ${this.target.host} are forwarded` : 'only WebSocket upgrades are relayed';
      endRaw(socket, 400, badRequestBody(why));
      return;
    }
    this.relay.upgrade(req, socket, head, this.idsOf(req), path);
  }

  private idsOf(req: IncomingMessage): ExchangeIds {
    const socket = req.socket;
    return {
      exchangeId: `x${++this.nextExchange}`,
      connectionId: this.connectionIds.get(socket) ?? 'c0',
      clientAddress: socket.remoteAddress ?? '',
    };
  }

  private wakeIfIdle(): void {
    if (this.ctx.counters.inFlight > 0) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

/** Node's parser refused the request: answer as node would, in our JSON shape, and close. */
function onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  endRaw(socket, status, badRequestBody(`malformed request (${error.code ?? 'parse error'})`));
}
