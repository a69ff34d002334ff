import { once } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { ProxyServer, type ProxyOptions } from '../../src/proxy/proxy-server.js';
import type { Tap, TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from '../../src/proxy/tap.js';

/** Everything a test opens, closed in reverse order by `closeAll`. */
export class Resources {
  private readonly closers: (() => Promise<unknown> | void)[] = [];

  add(close: () => Promise<unknown> | void): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}

/** What a describe block of proxy tests shares: the same objects, emptied for every test. */
export interface ProxyFixture {
  /** Closed after each test. */
  readonly res: Resources;
  /** Cleared before each test. */
  readonly tap: TapLog;
  /** A proxy to `target` reporting to `tap`, stopped with the test's resources. */
  proxyTo(target: string, options?: Omit<ProxyOptions, 'target' | 'tap'>): Promise<ProxyServer>;
}

/** Registers the hooks in the calling describe block. */
export function proxyFixture(): ProxyFixture {
  const res = new Resources();
  const tap = new TapLog();
  beforeEach(() => tap.clear());
  afterEach(() => res.closeAll());
  return {
    res,
    tap,
    async proxyTo(target, options = {}) {
      const proxy = await ProxyServer.start({ target, tap, ...options });
      res.add(() => proxy.stop(1000));
      return proxy;
    },
  };
}

/** An HTTP server on 127.0.0.1 (a free port unless told) whose sockets are all destroyed when it is closed. */
export async function startServer(handler: RequestListener, resources: Resources, port = 0): Promise<{ server: Server; url: string; port: number }> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as { port: number }).port;
  resources.add(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  return { server, url: `http://127.0.0.1:${bound}`, port: bound };
}

interface TapKinds {
  request: TapHttpRequest;
  exchange: TapHttpExchange;
  'ws-open': TapWsOpen;
  'ws-message': TapWsMessage;
  'ws-close': TapWsClose;
}
type Kind = keyof TapKinds;
interface Tapped {
  kind: Kind;
  tap: TapKinds[Kind];
}

/** A tap that keeps what it is told and lets a test wait for the next matching report. */
export class TapLog implements Tap {
  readonly seen: Tapped[] = [];
  private waiters: { test: (t: Tapped) => boolean; resolve: (t: Tapped) => void }[] = [];

  httpRequest(tap: TapHttpRequest): void {
    this.push({ kind: 'request', tap });
  }
  httpExchange(tap: TapHttpExchange): void {
    this.push({ kind: 'exchange', tap });
  }
  wsOpen(tap: TapWsOpen): void {
    this.push({ kind: 'ws-open', tap });
  }
  wsMessage(tap: TapWsMessage): void {
    this.push({ kind: 'ws-message', tap });
  }
  wsClose(tap: TapWsClose): void {
    this.push({ kind: 'ws-close', tap });
  }

  /** Forgets what was seen and who waited (a new test begins). */
  clear(): void {
    this.seen.length = 0;
    this.waiters = [];
  }

  of<K extends Kind>(kind: K): TapKinds[K][] {
    return this.seen.filter((t) => t.kind === kind).map((t) => t.tap as TapKinds[K]);
  }

  /** Resolves with the first report of this kind (already seen or still to come) that matches. */
  next<K extends Kind>(kind: K, match: (tap: TapKinds[K]) => boolean = () => true): Promise<TapKinds[K]> {
    const test = (t: Tapped): boolean => t.kind === kind && match(t.tap as TapKinds[K]);
    const found = this.seen.find(test);
    if (found) return Promise.resolve(found.tap as TapKinds[K]);
    return new Promise((resolve) => this.waiters.push({ test, resolve: (t) => resolve(t.tap as TapKinds[K]) }));
  }

  private push(t: Tapped): void {
    this.seen.push(t);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(t)) return true;
      w.resolve(t);
      return false;
    });
  }
}

export interface Reply {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  socket: Socket;
}

/** One request with node's client (raw headers visible); the body may be a Buffer or chunks to stream. */
export function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Buffer | Buffer[]; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path ?? '/', url);
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          statusMessage: res.statusMessage!,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
          socket: res.socket,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    const body = options.body;
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else req.end(body);
  });
}

/** Reads a whole request body. */
export async function readBody(req: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A promise with its resolve at hand (Promise.withResolvers arrived after Node 20). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
