import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ScriptSession, Step } from '../replay/fixtures.js';

/**
 * A small HTTP JSON + WebSocket chat service for compare tests. Every response carries noise
 * (random tokens, UUIDs, timestamps, a random number without a recognisable shape); each
 * `Plant` flag makes the server answer one thing differently, the way a rewrite would.
 */
export interface Plant {
  /** POST /api/login: body.user.id becomes a string. */
  typeChange?: boolean;
  /** GET /api/me: body.email is gone. */
  missingField?: boolean;
  /** GET /api/me: body.plan appears. */
  extraField?: boolean;
  /** GET /api/items/:id: body.price changes. */
  changedValue?: boolean;
  /** GET /api/flags: 500 instead of 200. */
  statusChange?: boolean;
  /** The chat reply's text is capitalised. */
  changedMessage?: boolean;
  /** No goodbye notice before the server closes. */
  missingMessage?: boolean;
  /** The server closes with 4000 instead of 1000. */
  closeCode?: boolean;
  /** GET /api/me answers 503 once this many users have logged in: auth that gives out under load. */
  authLimit?: number;
}

export const ALL_PLANTS: Plant = {
  typeChange: true,
  missingField: true,
  extraField: true,
  changedValue: true,
  statusChange: true,
  changedMessage: true,
  missingMessage: true,
  closeCode: true,
};

export interface FixtureBackend {
  url: string;
  close(): Promise<void>;
}

export async function startFixtureBackend(plant: Plant = {}): Promise<FixtureBackend> {
  const state: State = { tokens: new Map(), logins: 0 };
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((req, res) => void http(req, res, plant, state));
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => chat(ws, req, plant, state.tokens)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface State {
  /** Token -> user name. */
  tokens: Map<string, string>;
  logins: number;
}

async function http(req: IncomingMessage, res: ServerResponse, plant: Plant, state: State): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method === 'POST' && path === '/api/login') {
    const { username } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { username: string };
    const token = randomBytes(16).toString('hex');
    state.tokens.set(token, username);
    state.logins++;
    return send(res, 200, loginBody(username, token, plant));
  }
  if (path === '/api/me') {
    if (plant.authLimit !== undefined && state.logins > plant.authLimit) return send(res, 503, { error: 'auth overloaded' });
    const name = state.tokens.get(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    return name ? send(res, 200, meBody(name, plant)) : send(res, 401, { error: 'unauthorized' });
  }
  const item = /^\/api\/items\/(\d+)$/.exec(path);
  if (item) return send(res, 200, itemBody(Number(item[1]), plant));
  if (path === '/api/flags') return plant.statusChange ? send(res, 500, { error: 'flags unavailable' }) : send(res, 200, { beta: true });
  send(res, 404, { error: 'not found' });
}

function chat(ws: WebSocket, req: IncomingMessage, plant: Plant, tokens: Map<string, string>): void {
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  const name = token ? tokens.get(token) : 'guest';
  if (!name) return ws.close(4001, 'invalid token');
  ws.send(JSON.stringify(readyMessage()));
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; text?: string };
    if (frame.type === 'message') ws.send(JSON.stringify(replyMessage(frame.text ?? '', plant)));
    if (frame.type === 'leave') {
      if (!plant.missingMessage) ws.send(JSON.stringify(noticeMessage(name)));
      ws.close(plant.closeCode ? 4000 : 1000, 'bye');
    }
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', date: new Date().toUTCString() });
  res.end(JSON.stringify(body));
}

/** The answers, shared with the recording below so that recorded and replayed agree but for noise. */
function loginBody(username: string, token: string, plant: Plant = {}): unknown {
  return { token, session: randomUUID(), user: { id: plant.typeChange ? '1' : 1, name: username, created_at: jittered().toISOString() }, nonce: Math.random() };
}

function meBody(name: string, plant: Plant = {}): unknown {
  return { id: 1, name, ...(!plant.missingField && { email: `${name}@example.com` }), created_at: jittered().toISOString(), ...(plant.extraField && { plan: 'free' }) };
}

function itemBody(id: number, plant: Plant = {}): unknown {
  return { id, title: 'Lamp', price: plant.changedValue ? 10 : 9.5, tags: ['home', 'light'] };
}

/** Now, give or take a second: two servers answering in the same millisecond still differ, as real ones do. */
function jittered(): Date {
  return new Date(Date.now() - 1 - Math.floor(Math.random() * 1000));
}

const readyMessage = () => ({ type: 'ready', id: randomUUID(), at: jittered().toISOString() });
const replyMessage = (text: string, plant: Plant = {}) => ({ type: 'reply', text: `${plant.changedMessage ? 'Echo' : 'echo'}: ${text}`, at: jittered().getTime() });
const noticeMessage = (name: string) => ({ type: 'notice', text: `bye ${name}` });

/**
 * A user's journey as the unplanted server answered it when it was recorded: login, me, an item,
 * the flags, then a chat of one message. An anonymous user skips login and me.
 */
export function journey(id: string, start: number, user?: string): ScriptSession {
  const token = randomBytes(16).toString('hex');
  const steps: Step[] = [];
  if (user) {
    steps.push({ http: 'POST /api/login', at: 0, json: { username: user, password: 'secret' }, response: loginBody(user, token) });
    steps.push({ http: 'GET /api/me', at: 5, headers: [['authorization', `Bearer ${token}`]], response: meBody(user) });
  }
  const first = steps.length;
  steps.push({ http: `GET /api/items/${40 + start}`, at: 10, response: itemBody(40 + start) });
  steps.push({ http: 'GET /api/flags', at: 15, response: { beta: true } });
  steps.push({ wsOpen: user ? `/ws/chat?token=${token}` : '/ws/chat', id: 'w1', at: 20 });
  steps.push({ ws: 'w1', at: 21, server: readyMessage() });
  steps.push({ ws: 'w1', at: 25, client: { type: 'message', text: 'hi' } });
  steps.push({ ws: 'w1', at: 30, server: replyMessage('hi') });
  steps.push({ ws: 'w1', at: 35, client: { type: 'leave' } });
  steps.push({ ws: 'w1', at: 36, server: noticeMessage(user ?? 'guest') });
  steps.push({ wsClose: 'w1', at: 37, code: 1000, reason: 'bye', by: 'server' });
  return {
    id,
    start,
    tags: [user ? 'authenticated' : 'anonymous'],
    steps,
    links: user ? [{ value: token, source: { step: 0, at: 'json:$.token' }, uses: [{ step: 1, at: 'header:authorization' }, { step: first + 2, at: 'query:token' }] }] : [],
  };
}
