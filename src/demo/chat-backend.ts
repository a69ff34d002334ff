import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ChatSlots, type QueuePolicy, type SlotClient } from './chat-slots.js';

/**
 * The sample chat service of examples/PROTOCOL.md, in-process: login issuing random tokens,
 * `me`, and a WebSocket chat in front of a few processing slots with a waiting queue. Tests,
 * compare and `reprise demo` start it on port 0. Variants differ by flavour (what each answer
 * looks like) and queue policy, never by a copy of the server.
 */
export interface ChatUser {
  id: string;
  name: string;
  created_at: string;
}

/** Every answer the server gives, as a function: a variant overrides the ones it changes. */
export interface ChatFlavour {
  newUser(name: string, now: Date): ChatUser;
  loginOk(token: string, user: ChatUser): unknown;
  loginRefused(): unknown;
  me(user: ChatUser): unknown;
  ready(user: ChatUser | null): unknown;
  queued(position: number): unknown;
  reply(text: string, now: Date): unknown;
}

export const standardFlavour: ChatFlavour = {
  newUser: (name, now) => ({ id: `u_${createHash('sha256').update(name).digest('hex').slice(0, 12)}`, name, created_at: now.toISOString() }),
  loginOk: (token, user) => ({ token, user }),
  loginRefused: () => ({ error: 'invalid credentials' }),
  me: (user) => user,
  ready: (user) => ({ type: 'ready', user: user?.name ?? null }),
  queued: (position) => ({ type: 'queued', position }),
  reply: (text, now) => ({ type: 'reply', text: `echo: ${text}`, at: now.toISOString() }),
};

export interface ChatBackendOptions {
  port?: number;
  host?: string;
  /** Processing slots; default 4. */
  slots?: number;
  /** Simulated inference time per chat message; default 50. */
  inferMs?: number;
  /** Simulated latency of a token check (also of GET /api/auth/verify); default 0. */
  authMs?: number;
  queue?: QueuePolicy;
  flavour?: Partial<ChatFlavour>;
}

export interface ChatBackend {
  url: string;
  port: number;
  close(): Promise<void>;
}

const PASSWORD = 'secret';
const MAX_FRAME = 4 * 1024 * 1024;

export async function startChatBackend(options: ChatBackendOptions = {}): Promise<ChatBackend> {
  const flavour: ChatFlavour = { ...standardFlavour, ...options.flavour };
  const users = new Users(flavour);
  const slots = new ChatSlots<ChatClient>(options.slots ?? 4, options.queue ?? 'fifo');
  const authMs = options.authMs ?? 0;
  const inferMs = options.inferMs ?? 50;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME, perMessageDeflate: false });
  const server = createServer((req, res) => void handleHttp(req, res, users, flavour, authMs));

  server.on('upgrade', (req, socket, head) => {
    if (pathOf(req) !== '/ws/chat') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => void openChat(ws, req, { users, slots, flavour, authMs, inferMs }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: async () => {
      for (const ws of wss.clients) ws.close(1001, 'server shutdown');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class Users {
  private readonly byName = new Map<string, ChatUser>();
  private readonly byToken = new Map<string, ChatUser>();

  constructor(private readonly flavour: ChatFlavour) {}

  login(name: string): { token: string; user: ChatUser } {
    let user = this.byName.get(name);
    if (!user) {
      user = this.flavour.newUser(name, new Date());
      this.byName.set(name, user);
    }
    const token = randomBytes(16).toString('hex');
    this.byToken.set(token, user);
    return { token, user };
  }

  byAuthorization(header: string | undefined): ChatUser | undefined {
    const m = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m ? this.byToken.get(m[1]!) : undefined;
  }

  byTokenValue(token: string): ChatUser | undefined {
    return this.byToken.get(token);
  }
}

const ROUTES: Record<string, string> = { '/api/auth/login': 'POST', '/api/me': 'GET', '/api/auth/verify': 'GET', '/api/health': 'GET' };

async function handleHttp(req: IncomingMessage, res: ServerResponse, users: Users, flavour: ChatFlavour, authMs: number): Promise<void> {
  const path = pathOf(req);
  const body = await readBody(req);
  const allowed = ROUTES[path];
  if (!allowed) return send(res, 404, { error: 'not found' });
  if (req.method !== allowed) return send(res, 405, { error: 'method not allowed' });
  if (path === '/api/health') return send(res, 200, { ok: true });
  if (path === '/api/auth/login') return login(res, body, users, flavour);
  if (path === '/api/auth/verify' && authMs > 0) await delay(authMs);
  const user = users.byAuthorization(req.headers.authorization);
  return user ? send(res, 200, flavour.me(user)) : send(res, 401, { error: 'unauthorized' });
}

function login(res: ServerResponse, body: Buffer, users: Users, flavour: ChatFlavour): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return send(res, 400, { error: 'bad request' });
  }
  const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
  if (typeof parsed !== 'object' || Array.isArray(parsed) || typeof username !== 'string' || username === '' || typeof password !== 'string') {
    return send(res, 400, { error: 'bad request' });
  }
  if (password !== PASSWORD) return send(res, 401, flavour.loginRefused());
  const { token, user } = users.login(username);
  send(res, 200, flavour.loginOk(token, user));
}

interface ChatContext {
  users: Users;
  slots: ChatSlots<ChatClient>;
  flavour: ChatFlavour;
  authMs: number;
  inferMs: number;
}

class ChatClient implements SlotClient {
  constructor(
    readonly ws: WebSocket,
    readonly user: ChatUser | null,
    private readonly flavour: ChatFlavour,
  ) {}

  admitted(): void {
    this.send(this.flavour.ready(this.user));
  }

  position(position: number): void {
    this.send(this.flavour.queued(position));
  }

  send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

async function openChat(ws: WebSocket, req: IncomingMessage, ctx: ChatContext): Promise<void> {
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  let user: ChatUser | null = null;
  // Frames that arrive during the token check wait for it, in order.
  const early: Buffer[] = [];
  const hold = (data: Buffer): void => void early.push(data);
  ws.on('message', hold);
  if (token) {
    if (ctx.authMs > 0) await delay(ctx.authMs);
    const found = ctx.users.byTokenValue(token);
    if (!found) return ws.close(4001, 'invalid token');
    user = found;
  }
  if (ws.readyState !== ws.OPEN) return;
  const client = new ChatClient(ws, user, ctx.flavour);
  ws.off('message', hold);
  ws.on('close', () => ctx.slots.leave(client));
  ctx.slots.join(client);
  // One frame at a time: the next is read only once the previous reply is out.
  let turn = Promise.resolve();
  const handle = (data: Buffer, isBinary: boolean): void => {
    turn = turn.then(() => chatFrame(client, data, isBinary, ctx));
  };
  for (const data of early) handle(data, false);
  ws.on('message', handle);
}

async function chatFrame(client: ChatClient, data: Buffer, isBinary: boolean, ctx: ChatContext): Promise<void> {
  if (isBinary) return;
  let frame: { type?: unknown; text?: unknown } | undefined;
  try {
    frame = JSON.parse(data.toString('utf8')) as typeof frame;
  } catch {
    frame = undefined;
  }
  if (frame?.type === 'leave') {
    ctx.slots.leave(client);
    client.ws.close(1000, 'bye');
    return;
  }
  if (frame?.type !== 'message' || typeof frame.text !== 'string') return client.send({ type: 'error', error: 'bad message' });
  if (!ctx.slots.isActive(client)) return client.send({ type: 'error', error: 'not ready' });
  await delay(ctx.inferMs);
  client.send(ctx.flavour.reply(frame.text, new Date()));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length });
  res.end(data);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
