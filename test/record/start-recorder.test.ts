import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerValue, type Event, type Session } from '../../src/model/index.js';
import { startRecorder, type RecorderConfig, type RunningRecorder } from '../../src/record/start-recorder.js';
import { readStatus } from '../../src/store/recording-status.js';
import { RecordingStore } from '../../src/store/recording-store.js';
import { Resources, send } from '../proxy/harness.js';
import { startChatApp, user } from './chat-app.js';
import { MemoryBackend } from './memory-backend.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function readBack(root: string, name: string): Promise<{ sessions: Session[]; events: Map<string, Event[]>; store: RecordingStore }> {
  const store = await RecordingStore.open(root, name);
  const sessions = await collect(store.sessions());
  const events = new Map<string, Event[]>();
  for (const s of sessions) events.set(s.id, await collect(store.events(s.id)));
  return { sessions, events, store };
}

/** Every byte of every file under dir, so a test can look for a value that must not be there. */
async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

const text = (b: Uint8Array): string => Buffer.from(b).toString();

describe('startRecorder', () => {
  let res: Resources;
  let root: string;
  let logs: string[];
  beforeEach(async () => {
    res = new Resources();
    root = await mkdtemp(join(tmpdir(), 'reprise-record-'));
    logs = [];
  });
  afterEach(async () => {
    await res.closeAll();
    await rm(root, { recursive: true, force: true });
  });

  async function record(config: Partial<RecorderConfig> & { target: string }): Promise<RunningRecorder> {
    const recorder = await startRecorder({ store: root, name: 'rec', listen: { host: '127.0.0.1', port: 0 }, log: (l) => logs.push(l), ...config });
    res.add(() => recorder.stop());
    return recorder;
  }

  it('records interleaved users doing login -> me -> chat as exactly one session each', async () => {
    const app = await startChatApp(res);
    const rec = await record({ target: app.url });
    const names = ['ada', 'bob', 'cyd', 'dee'];
    const users = names.map((n) => user(rec.url, n, `pw-${n}`));
    const tokens = await Promise.all(users.map((u) => u.login()));
    expect(await Promise.all(users.map((u) => u.me()))).toEqual([200, 200, 200, 200]);
    const closes = await Promise.all([...users].reverse().map((u) => u.chat()));
    expect(closes).toEqual(names.map(() => ({ code: 1000, reason: 'see you' })));
    const summary = await rec.stop();
    expect(summary).toMatchObject({ sessions: 4, exchanges: 8, wsConnections: 4, wsMessages: 24, dropped: 0 });

    const { sessions, events, store } = await readBack(root, 'rec');
    res.add(() => store.close());
    expect(sessions).toHaveLength(4);
    const owners = sessions.map((s) => {
      const evs = events.get(s.id)!;
      expect(evs.map((e) => e.type)).toEqual(['http', 'http', 'ws-open', ...Array(6).fill('ws-message'), 'ws-close']);
      const [login, me, open] = evs as [Extract<Event, { type: 'http' }>, Extract<Event, { type: 'http' }>, Extract<Event, { type: 'ws-open' }>];
      const name = (JSON.parse(text(login.request.body.bytes)) as { username: string }).username;
      const token = tokens[names.indexOf(name)]!;
      // Everything in the session is this one user's.
      expect(JSON.parse(text(login.response!.body.bytes)).token).toBe(token);
      expect(headerValue(me.request.headers, 'authorization')).toBe(`Bearer ${token}`);
      expect(open.url).toBe(`/ws/chat?token=${token}`);
      const messages = evs.filter((e): e is Extract<Event, { type: 'ws-message' }> => e.type === 'ws-message');
      expect(messages.map((m) => m.direction)).toEqual(['server', 'client', 'client', 'server', 'server', 'client']);
      expect(text(messages[1]!.data.bytes)).toBe(`hello from ${name}`);
      expect(messages[2]!.opcode).toBe('binary');
      expect(Buffer.from(messages[2]!.data.bytes)).toEqual(Buffer.from([1, 2, 3, name.length]));
      expect(evs.at(-1)).toMatchObject({ type: 'ws-close', code: 1000, reason: 'see you', by: 'server' });
      expect(s.tags).toContain('authenticated');
      expect(s.links.some((l) => l.value === token)).toBe(true);
      return name;
    });
    expect(owners.sort()).toEqual(names);
    expect(store.meta.endedAt).toBeGreaterThan(store.meta.startedAt);
    expect(store.meta.counts).toMatchObject({ sessions: 4, exchanges: 8, wsMessages: 24 });
  });

  it('keeps status.json current while recording, for reprise ls, and removes it on stop', async () => {
    const app = await startChatApp(res);
    const rec = await record({ target: app.url, statusIntervalMs: 20 });
    await user(rec.url, 'ada', 'pw').login();
    const dir = join(root, 'rec');
    const deadline = Date.now() + 10_000;
    let status = await readStatus(dir);
    // Rewritten on a timer: there is no event to wait on, so poll with a deadline.
    while ((status?.counts.exchanges ?? 0) < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      status = await readStatus(dir);
    }
    expect(status).toMatchObject({ pid: process.pid, target: app.url, counts: { exchanges: 1 } });
    await rec.stop();
    await expect(stat(join(dir, 'status.json'))).rejects.toThrow();
  });

  it('keeps a redacted value off the disk, everywhere it travelled', async () => {
    const app = await startChatApp(res);
    const password = 'hunter2-very-secret-password';
    const run = async (name: string, redact: string[]): Promise<{ bytes: Buffer; tokens: string[] }> => {
      const rec = await startRecorder({ store: root, name, listen: { host: '127.0.0.1', port: 0 }, target: app.url, redact, log: () => {} });
      const users = ['ada', 'bob'].map((n) => user(rec.url, n, password));
      const tokens = await Promise.all(users.map((u) => u.login()));
      await Promise.all(users.map((u) => u.me()));
      await Promise.all(users.map((u) => u.chat()));
      await rec.stop();
      return { bytes: await allBytes(join(root, name)), tokens };
    };
    // Without rules, the scan finds the values: it does see through the store's files.
    const plain = await run('plain', []);
    expect(plain.bytes.includes(password)).toBe(true);
    expect(plain.tokens.every((t) => plain.bytes.includes(t))).toBe(true);

    const redacted = await run('redacted', ['json:$.password', 'json:$.token']);
    expect(redacted.bytes.includes(password)).toBe(false);
    for (const token of redacted.tokens) expect(redacted.bytes.includes(token)).toBe(false); // body, header, query, links
    expect(redacted.bytes.includes('[REDACTED]')).toBe(true);
  });

  it('keeps traffic going when the store fails mid-traffic, counting and logging the loss once', async () => {
    const app = await startChatApp(res);
    const backend = new MemoryBackend();
    const rec = await record({ target: app.url, backend });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 20) backend.failing = true;
      const u = user(rec.url, `u${i}`, 'pw');
      await u.login();
      statuses.push(await u.me());
      expect(await u.chat()).toEqual({ code: 1000, reason: 'see you' });
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    const summary = await rec.stop();
    expect(summary.exchanges).toBe(80);
    expect(summary.dropped).toBeGreaterThan(0);
    expect(logs.filter((l) => l.includes('store failed'))).toHaveLength(1);
    expect(backend.count('e!')).toBeGreaterThan(0); // what came before the failure was kept
  });

  it('drops events instead of queueing without bound when the store falls behind', async () => {
    const app = await startChatApp(res);
    const backend = new MemoryBackend();
    const rec = await record({ target: app.url, backend, maxPendingBytes: 4096 });
    backend.hold();
    for (let i = 0; i < 30; i++) {
      const u = user(rec.url, `u${i}`, 'pw');
      await u.login();
      expect(await u.me()).toBe(200);
    }
    const { counts, progress } = rec.stats();
    expect(counts.dropped).toBeGreaterThan(0);
    expect(progress.pendingBytes).toBeLessThanOrEqual(4096);
    expect(logs.filter((l) => l.includes('behind'))).toHaveLength(1);
    backend.release();
    const summary = await rec.stop();
    expect(summary.dropped).toBeGreaterThanOrEqual(counts.dropped);
    expect(summary.exchanges).toBe(60);
  });

  it('serves /healthz and /metrics on --admin while it records', async () => {
    const app = await startChatApp(res);
    const rec = await record({ target: app.url, admin: { host: '127.0.0.1', port: 0 } });
    expect(rec.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const u = user(rec.url, 'ada', 'pw');
    await u.login();
    await u.me();
    await u.chat();
    const health = JSON.parse((await send(rec.adminUrl!, { path: '/healthz' })).body.toString());
    expect(health).toMatchObject({ status: 'ok', recording: 'rec', exchanges: 2, wsMessages: 6, dropped: 0 });
    const metrics = (await send(rec.adminUrl!, { path: '/metrics' })).body.toString();
    expect(metrics).toContain('reprise_proxied_total 2');
    expect(metrics).toContain('reprise_ws_messages_total 6');
    expect(metrics).toContain('reprise_added_latency_seconds_count 2');
    expect(metrics).toContain('reprise_dropped_events_total 0');
    await rec.stop();
    await expect(send(rec.adminUrl!, { path: '/healthz' })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('groups by --session-key when told, whatever else the requests share', async () => {
    const app = await startChatApp(res);
    const rec = await record({ target: app.url, sessionKeys: ['header:x-user'] });
    for (const who of ['a', 'b', 'a', 'b', 'a']) expect((await send(rec.url, { path: '/api/nothing', headers: { 'x-user': who } })).status).toBe(404);
    await rec.stop();
    const { sessions, store } = await readBack(root, 'rec');
    res.add(() => store.close());
    expect(sessions.map((s) => s.eventCount).sort()).toEqual([2, 3]);
    expect(sessions.map((s) => s.groupedBy)).toEqual(expect.arrayContaining([expect.objectContaining({ by: 'session-key', spec: 'header:x-user' })]));
  });

  it('behind a load balancer, tells users apart by --client-header', async () => {
    const app = await startChatApp(res);
    const rec = await record({ target: app.url, clientHeader: 'X-Forwarded-For' });
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.1', '203.0.113.2']) {
      expect((await send(rec.url, { path: '/api/nothing', headers: { 'x-forwarded-for': `${client}, 10.0.0.1` } })).status).toBe(404);
    }
    await rec.stop();
    const { sessions, store } = await readBack(root, 'rec');
    res.add(() => store.close());
    expect(sessions.map((s) => [s.client.address, s.eventCount]).sort()).toEqual([['203.0.113.1', 2], ['203.0.113.2', 2]]);
    expect(store.meta.options.clientHeader).toBe('X-Forwarded-For');
  });

  it('keeps at most --max-body bytes of a stored body, flagged as truncated', async () => {
    const app = await startChatApp(res);
    const rec = await record({ target: app.url, maxBody: 8 });
    await user(rec.url, 'someone-with-a-long-name', 'pw').login();
    await rec.stop();
    const { sessions, events, store } = await readBack(root, 'rec');
    res.add(() => store.close());
    const login = events.get(sessions[0]!.id)![0] as Extract<Event, { type: 'http' }>;
    expect(login.request.body.bytes.byteLength).toBe(8);
    expect(login.request.body.truncated).toBe(true);
    expect(login.request.body.size).toBeGreaterThan(8);
  });

  it('refuses bad options before creating anything, and cleans up when it cannot listen', async () => {
    const base = { store: root, target: 'http://127.0.0.1:1', listen: { host: '127.0.0.1', port: 0 }, log: () => {} };
    await expect(startRecorder({ ...base, redact: ['bogus'] })).rejects.toMatchObject({ code: 'REPRISE_USAGE' });
    await expect(startRecorder({ ...base, sessionKeys: ['nope'] })).rejects.toMatchObject({ code: 'REPRISE_USAGE' });
    await expect(startRecorder({ ...base, target: 'not a url' })).rejects.toMatchObject({ code: 'REPRISE_USAGE' });
    await expect(startRecorder({ ...base, name: '../escape' })).rejects.toMatchObject({ code: 'REPRISE_USAGE' });
    expect(await readdir(root)).toEqual([]);

    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    res.add(() => new Promise((r) => taken.close(r)));
    const port = (taken.address() as { port: number }).port;
    await expect(startRecorder({ ...base, name: 'busy', listen: { host: '127.0.0.1', port } })).rejects.toMatchObject({ code: 'REPRISE_LISTEN' });
    expect(await readdir(root)).toEqual([]);

    const first = await startRecorder({ ...base, name: 'twice' });
    res.add(() => first.stop());
    await expect(startRecorder({ ...base, name: 'twice' })).rejects.toMatchObject({ code: 'REPRISE_RECORDING_EXISTS' });
  });
});
