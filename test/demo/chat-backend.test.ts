import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';

/** A client that collects frames and lets a test wait for the n-th one. */
class Client {
  readonly frames: { type: string; [k: string]: unknown }[] = [];
  private waiters: (() => void)[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<[number, Buffer]>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.closed = once(this.ws, 'close') as Promise<[number, Buffer]>;
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async frame(n: number): Promise<{ type: string; [k: string]: unknown }> {
    while (this.frames.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.frames[n - 1]!;
  }

  send(v: unknown): void {
    this.ws.send(JSON.stringify(v));
  }
}

describe('chat backend', () => {
  const open: ChatBackend[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    for (const b of open.splice(0)) await b.close();
  });

  async function start(options: Parameters<typeof startChatBackend>[0] = {}): Promise<ChatBackend> {
    const b = await startChatBackend(options);
    open.push(b);
    return b;
  }

  function connect(b: ChatBackend, token?: string): Client {
    const c = new Client(`${b.url.replace('http', 'ws')}/ws/chat${token ? `?token=${token}` : ''}`);
    clients.push(c);
    return c;
  }

  async function login(b: ChatBackend, username: string, password = 'secret'): Promise<{ status: number; body: { token: string; user: { id: string; name: string; created_at: string } } }> {
    const res = await fetch(`${b.url}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username, password }) });
    return { status: res.status, body: (await res.json()) as { token: string; user: { id: string; name: string; created_at: string } } };
  }

  it('issues a fresh random token per login and rejects stale ones', async () => {
    const b = await start();
    const first = await login(b, 'alice');
    const second = await login(b, 'alice');
    expect(first.status).toBe(200);
    expect(first.body.token).toMatch(/^[0-9a-f]{32}$/);
    expect(second.body.token).not.toBe(first.body.token);
    expect(first.body.user).toEqual({ id: expect.stringMatching(/^u_[0-9a-f]{12}$/), name: 'alice', created_at: expect.any(String) });
    expect(Object.keys(first.body.user)).toEqual(['id', 'name', 'created_at']);
    const me = await fetch(`${b.url}/api/me`, { headers: { authorization: `Bearer ${first.body.token}` } });
    expect(await me.json()).toEqual(first.body.user);
    const other = await start();
    const stale = await fetch(`${other.url}/api/me`, { headers: { authorization: `Bearer ${first.body.token}` } });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ error: 'unauthorized' });
  });

  it('answers the rest of the HTTP protocol', async () => {
    const b = await start();
    expect((await login(b, 'bob', 'nope')).status).toBe(401);
    expect((await fetch(`${b.url}/api/auth/login`, { method: 'POST', body: '[1]' })).status).toBe(400);
    expect((await fetch(`${b.url}/api/auth/login`, { method: 'POST', body: '{"username":"","password":"secret"}' })).status).toBe(400);
    expect(await (await fetch(`${b.url}/api/health`)).json()).toEqual({ ok: true });
    const { body } = await login(b, 'carol');
    expect((await fetch(`${b.url}/api/auth/verify`, { headers: { authorization: `bearer ${body.token}` } })).status).toBe(200);
    expect((await fetch(`${b.url}/api/me`)).status).toBe(401);
    expect((await fetch(`${b.url}/nope`)).status).toBe(404);
    expect((await fetch(`${b.url}/api/me`, { method: 'POST' })).status).toBe(405);
  });

  it('chats: ready with the user (or null for a guest), replies after inference, leave closes 1000', async () => {
    const b = await start({ slots: 2, inferMs: 5 });
    const { body } = await login(b, 'dave');
    const user = connect(b, body.token);
    expect(await user.frame(1)).toEqual({ type: 'ready', user: 'dave' });
    user.send({ type: 'message', text: 'hi' });
    expect(await user.frame(2)).toMatchObject({ type: 'reply', text: 'echo: hi', at: expect.any(String) });
    user.send({ type: 'nonsense' });
    expect(await user.frame(3)).toEqual({ type: 'error', error: 'bad message' });
    user.send({ type: 'leave' });
    const [code, reason] = await user.closed;
    expect([code, reason.toString()]).toEqual([1000, 'bye']);
    const guest = connect(b);
    expect(await guest.frame(1)).toEqual({ type: 'ready', user: null });
  });

  it('closes 4001 for an unknown token', async () => {
    const b = await start();
    const [code, reason] = await connect(b, 'f'.repeat(32)).closed;
    expect([code, reason.toString()]).toEqual([4001, 'invalid token']);
  });

  it('queues past its slots and admits the longest waiting (FIFO)', async () => {
    const b = await start({ slots: 1, inferMs: 1 });
    const a = connect(b);
    expect((await a.frame(1)).type).toBe('ready');
    const c1 = connect(b);
    expect(await c1.frame(1)).toEqual({ type: 'queued', position: 1 });
    const c2 = connect(b);
    expect(await c2.frame(1)).toEqual({ type: 'queued', position: 2 });
    c1.send({ type: 'message', text: 'early' });
    expect(await c1.frame(2)).toEqual({ type: 'error', error: 'not ready' });
    a.send({ type: 'leave' });
    expect((await c1.frame(3)).type).toBe('ready');
    expect(await c2.frame(2)).toEqual({ type: 'queued', position: 1 });
  });

  it('with a LIFO queue admits the newest instead', async () => {
    const b = await start({ slots: 1, inferMs: 1, queue: 'lifo' });
    const a = connect(b);
    await a.frame(1);
    const c1 = connect(b);
    await c1.frame(1);
    const c2 = connect(b);
    await c2.frame(1);
    a.send({ type: 'leave' });
    expect((await c2.frame(2)).type).toBe('ready');
    expect(c1.frames.map((f) => f.type)).toEqual(['queued']);
  });

  it('takes a flavour that changes answers without another server', async () => {
    const b = await start({ flavour: { reply: (text) => ({ type: 'reply', text: text.toUpperCase(), at: 0 }) }, inferMs: 1 });
    const c = connect(b);
    await c.frame(1);
    c.send({ type: 'message', text: 'hey' });
    expect(await c.frame(2)).toEqual({ type: 'reply', text: 'HEY', at: 0 });
  });
});
