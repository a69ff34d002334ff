import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event, Session } from '../../src/model/index.js';
import { FORMAT_VERSION } from '../../src/store/format.js';
import { RecordingStore } from '../../src/store/recording-store.js';
import { CLI, runCli } from '../helpers/cli.js';

const T0 = 1_764_000_000_000_000;
const bytes = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));
const body = (b: Buffer) => ({ bytes: b, size: b.length, truncated: false });

async function makeRecording(root: string, name: string): Promise<RecordingStore> {
  const store = await RecordingStore.create(root, {
    name,
    target: 'http://127.0.0.1:9',
    startedAt: T0,
    counts: { sessions: 1, exchanges: 1, wsConnections: 1, wsMessages: 2, dropped: 0, bytes: 100 },
    options: { maxBody: 1 << 20, sessionKeys: [], redact: [] },
  });
  const session: Session = {
    id: 's1',
    startedAt: T0,
    endedAt: T0 + 5_000,
    tags: ['authenticated'],
    client: { address: '127.0.0.1', userAgent: 'test' },
    groupedBy: { by: 'link' },
    eventCount: 5,
    links: [{ value: 'tok123', source: { seq: 0, at: { in: 'json', path: '$.token' } }, uses: [{ seq: 1, at: { in: 'query', name: 'token' } }] }],
  };
  const events: Event[] = [
    {
      type: 'http', seq: 0, t: T0, exchangeId: 'x1', connectionId: 'c1', clientAddress: '127.0.0.1',
      request: { method: 'POST', url: '/api/auth/login', httpVersion: '1.1', headers: [['Content-Type', 'application/json']], body: body(bytes('{"username":"a"}')) },
      response: { status: 200, statusMessage: 'OK', headers: [['Content-Type', 'application/json']], body: body(bytes('{"token":"tok123"}')) },
      timing: { start: T0, firstByte: T0 + 800, end: T0 + 1_000 },
    },
    { type: 'ws-open', seq: 1, t: T0 + 2_000, wsId: 'w1', connectionId: 'c2', clientAddress: '127.0.0.1', url: '/ws/chat?token=tok123', headers: [], protocols: ['chat'], protocol: 'chat', status: 101 },
    { type: 'ws-message', seq: 2, t: T0 + 3_000, wsId: 'w1', direction: 'server', opcode: 'text', data: body(bytes('{"type":"ready"}')) },
    { type: 'ws-message', seq: 3, t: T0 + 3_500, wsId: 'w1', direction: 'client', opcode: 'binary', data: body(bytes([0, 255, 1])) },
    { type: 'ws-close', seq: 4, t: T0 + 5_000, wsId: 'w1', code: 4001, reason: 'gone', by: 'server' },
  ];
  const writer = store.writer();
  writer.putSession(session);
  for (const e of events) writer.putEvent(session.id, e);
  await writer.flush();
  return store;
}

describe('reprise ls and show', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'reprise-cli-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('show --json prints the documented schema, bodies as text or base64', async () => {
    const store = await makeRecording(root, 'rec');
    await store.updateMeta({ endedAt: T0 + 10_000 });
    await store.close();
    const { code, stdout } = await runCli(['show', 'rec', '--store', root, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.recording).toMatchObject({ name: 'rec', version: FORMAT_VERSION, options: { maxBody: 1 << 20, sessionKeys: [], redact: [] } });
    const [s] = doc.sessions;
    expect(s).toMatchObject({ id: 's1', tags: ['authenticated'], startedAt: new Date(T0 / 1000).toISOString() });
    expect(s.links[0]).toEqual({ value: 'tok123', source: { seq: 0, at: 'json:$.token' }, uses: [{ seq: 1, at: 'query:token' }] });
    expect(s.events.map((e: { type: string }) => e.type)).toEqual(['http', 'ws-open', 'ws-message', 'ws-message', 'ws-close']);
    const [http, open, text, binary, close] = s.events;
    expect(http).toMatchObject({ at: 0, request: { method: 'POST', url: '/api/auth/login', headers: [['Content-Type', 'application/json']], body: '{"username":"a"}' }, response: { status: 200, body: '{"token":"tok123"}' }, ttfbMs: 0.8 });
    expect(open).toMatchObject({ at: 2, protocol: 'chat', status: 101 });
    expect(text).toMatchObject({ at: 3, direction: 'server', opcode: 'text', data: '{"type":"ready"}' });
    expect(binary).toMatchObject({ direction: 'client', opcode: 'binary', dataBase64: Buffer.from([0, 255, 1]).toString('base64') });
    expect(close).toMatchObject({ code: 4001, reason: 'gone', by: 'server' });
  });

  it('show prints sessions as text and refuses an unknown session in one line', async () => {
    await (await makeRecording(root, 'rec')).close();
    const text = await runCli(['show', 'rec', '--store', root]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/session s1 +authenticated/);
    expect(text.stdout).toContain('POST /api/auth/login -> 200');
    expect(text.stdout).toContain('WS close 4001 "gone" by server');
    const missing = await runCli(['show', 'rec', '--store', root, '--session', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('ls lists complete, incomplete and active recordings; an active one is not an error', async () => {
    const done = await makeRecording(root, 'done');
    await done.updateMeta({ endedAt: T0 + 1 });
    await done.close();
    await (await makeRecording(root, 'crashed')).close();
    const active = await makeRecording(root, 'live');
    try {
      const { code, stdout } = await runCli(['ls', '--store', root, '--json']);
      expect(code).toBe(0);
      const states = Object.fromEntries(JSON.parse(stdout).recordings.map((r: { name: string; state: string }) => [r.name, r.state]));
      expect(states).toEqual({ crashed: 'incomplete', done: 'complete', live: 'active' });
      const table = await runCli(['ls', '--store', root]);
      expect(table.stdout).toMatch(/^done +complete .* 1 +1 +2 +0 +0 /m);
    } finally {
      await active.close();
    }
  });

  it('a missing store, an unknown recording and a corrupt store each give one line and exit 2', async () => {
    const missingStore = await runCli(['ls', '--store', join(root, 'nope')]);
    expect([missingStore.code, missingStore.stderr.trim().split('\n').length]).toEqual([2, 1]);
    const unknown = await runCli(['show', 'ghost', '--store', root]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no recording named "ghost"/);
    await mkdir(join(root, 'bad', 'db'), { recursive: true });
    await writeFile(join(root, 'bad', 'db', 'CURRENT'), 'MANIFEST-999999\n');
    const corrupt = await runCli(['show', 'bad', '--store', root]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    expect(corrupt.stderr).toMatch(/cannot be read|corrupt/);
  });

  it('show stops quietly, exit 0, when its reader leaves early (| head), text and JSON alike', async () => {
    const store = await RecordingStore.create(root, {
      name: 'big',
      target: 'http://127.0.0.1:9',
      startedAt: T0,
      counts: { sessions: 400, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 },
      options: { maxBody: 1 << 20, sessionKeys: [], redact: [] },
    });
    const writer = store.writer();
    const text = body(bytes('x'.repeat(2_000)));
    for (let i = 0; i < 400; i++) {
      const id = `s${i}`;
      writer.putSession({ id, startedAt: T0 + i, endedAt: T0 + i, tags: ['anonymous'], client: { address: '127.0.0.1' }, groupedBy: { by: 'connection' }, eventCount: 20, links: [] });
      for (let seq = 0; seq < 20; seq++) writer.putEvent(id, { type: 'ws-message', seq, t: T0 + i + seq, wsId: `w${i}`, direction: 'server', opcode: 'text', data: text });
    }
    await writer.flush();
    await store.close();
    for (const args of [['show', 'big'], ['show', 'big', '--json']]) {
      const child = spawn(process.execPath, [CLI, ...args, '--store', root], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      // Read one chunk, then leave, as `head` does: the rest of the output (megabytes) meets a closed pipe.
      await once(child.stdout, 'data');
      child.stdout.destroy();
      const [code] = await once(child, 'exit');
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });
});
