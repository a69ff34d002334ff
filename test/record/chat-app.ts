import { randomBytes } from 'node:crypto';
import { request, type Agent } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';
import { readBody, startServer, type Resources } from '../proxy/harness.js';

/**
 * The journey the recorder exists for, as a tiny target: POST /api/auth/login issues a token,
 * GET /api/me wants it as a Bearer header, and /ws/chat?token=... wants it in the query.
 */
export async function startChatApp(res: Resources): Promise<{ url: string; tokens: Map<string, string> }> {
  const tokens = new Map<string, string>(); // token -> user
  const { server, url } = await startServer(async (req, out) => {
    const body = await readBody(req);
    const json = (status: number, value: unknown): void => {
      out.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (req.method === 'POST' && req.url === '/api/auth/login') {
      const { username } = JSON.parse(body.toString()) as { username: string };
      const token = randomBytes(18).toString('base64url');
      tokens.set(token, username);
      json(200, { token, user: { name: username } });
    } else if (req.url === '/api/me') {
      const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (user) json(200, { name: user });
      else json(401, { error: 'no token' });
    } else json(404, { error: 'not found' });
  }, res);
  const wss = new WebSocketServer({ server, path: '/ws/chat' });
  wss.on('connection', (ws, req) => {
    const user = tokens.get(new URL(req.url!, 'http://x').searchParams.get('token') ?? '');
    if (!user) return ws.close(4001, 'unauthorized');
    ws.send(JSON.stringify({ type: 'ready', user }));
    ws.on('message', (data) => {
      const text = String(data);
      if (text === 'bye') ws.close(1000, 'see you');
      else ws.send(JSON.stringify({ type: 'reply', user, echo: text }));
    });
  });
  res.add(() => new Promise((r) => wss.close(() => r(undefined))));
  return { url, tokens };
}

export interface JourneyClient {
  login(): Promise<string>;
  me(): Promise<number>;
  chat(): Promise<{ code: number; reason: string }>;
}

/** One user; every request on a connection of its own, so only the token can tie them together. */
export function user(proxyUrl: string, name: string, password: string, agent: Agent | false = false): JourneyClient {
  let token = '';
  const call = (method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request(`${proxyUrl}${path}`, { method, headers: { 'user-agent': 'journey-test/1', ...headers }, agent }, async (r) =>
        resolve({ status: r.statusCode!, body: (await readBody(r)).toString() }),
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    async login() {
      const r = await call('POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: name, password }));
      token = (JSON.parse(r.body) as { token: string }).token;
      return token;
    },
    async me() {
      return (await call('GET', '/api/me', { authorization: `Bearer ${token}` })).status;
    },
    chat() {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(`${proxyUrl.replace(/^http/, 'ws')}/ws/chat?token=${token}`, { headers: { 'user-agent': 'journey-test/1' } });
        ws.on('error', reject);
        let replies = 0;
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { type: string };
          if (msg.type === 'ready') {
            ws.send(`hello from ${name}`);
            ws.send(Buffer.from([1, 2, 3, name.length]));
          } else if (++replies === 2) ws.send('bye');
        });
        ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
      });
    },
  };
}
