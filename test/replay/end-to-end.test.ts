import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import type { SessionResult } from '../../src/model/run.js';
import { startRecorder } from '../../src/record/start-recorder.js';
import { runReplay } from '../../src/replay/run-replay.js';
import { parseVary } from '../../src/replay/vary.js';
import { RecordingStore } from '../../src/store/recording-store.js';
import { tempRootPerTest } from './fixtures.js';

/** A real user through the proxy: login, me with the token, a chat with it, one message, leave. */
async function journey(base: string, username: string): Promise<void> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'secret' }) });
  const { token } = (await login.json()) as { token: string };
  const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  await me.arrayBuffer();
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/chat?token=${token}`);
  const frames: { type: string }[] = [];
  const next = (type: string): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (frames.some((f) => f.type === type)) resolve();
        else ws.once('message', check);
      };
      check();
    });
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await next('ready');
  ws.send(JSON.stringify({ type: 'message', text: `hi from ${username}` }));
  await next('reply');
  ws.send(JSON.stringify({ type: 'leave' }));
  await once(ws, 'close');
}

describe('record, then replay', () => {
  const root = tempRootPerTest();
  const backends: ChatBackend[] = [];
  afterEach(async () => {
    for (const b of backends.splice(0)) await b.close();
  });

  it('replays journeys recorded through the real proxy against a fresh server: fresh tokens, all succeed', async () => {
    const recorded = await startChatBackend({ slots: 10, inferMs: 2 });
    backends.push(recorded);
    const recorder = await startRecorder({ target: recorded.url, store: root.root, name: 'chat', listen: { host: '127.0.0.1', port: 0 }, log: () => undefined });
    await Promise.all(['ann', 'ben', 'cat'].map((user) => journey(recorder.url, user)));
    await recorder.stop();

    const store = await RecordingStore.open(root.root, 'chat');
    try {
      const sessions = [];
      for await (const s of store.sessions()) sessions.push(s);
      expect(sessions).toHaveLength(3);
      expect(sessions.every((s) => s.tags.includes('authenticated') && s.links.length > 0)).toBe(true);

      const fresh = await startChatBackend({ slots: 10, inferMs: 2 });
      backends.push(fresh);
      const results: SessionResult[] = [];
      const outcome = await runReplay({
        store,
        targets: [{ role: 'primary', url: fresh.url }],
        speed: 5,
        multiply: 2,
        vary: [parseVary('json:$.username={{value}}-{{copy}}')],
        onResult: (r) => results.push(r),
      });
      const report = outcome.reports.primary!;
      expect(results.flatMap((r) => [...r.exchanges, ...r.websockets].map((x) => x.failure)).filter(Boolean)).toEqual([]);
      expect(report.sessions).toEqual({ total: 6, succeeded: 6, failed: 0 });
      expect(report.unreplacedValues).toBe(0);
      expect(report.byTag.authenticated!.successRate).toBe(1);
      const users = results.map((r) => JSON.parse(Buffer.from(r.websockets[0]!.received[0]!.data).toString()).user).sort();
      expect(users).toHaveLength(6);
      expect(new Set(users).size).toBe(6);
    } finally {
      await store.close();
    }
  });
});
