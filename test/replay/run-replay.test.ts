import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import type { SessionResult } from '../../src/model/run.js';
import { parseFifoSpec } from '../../src/replay/fifo.js';
import { parseProfile } from '../../src/replay/profile.js';
import { runReplay, type ReplayOptions } from '../../src/replay/run-replay.js';
import { parseVary } from '../../src/replay/vary.js';
import { parseThreshold } from '../../src/report/thresholds.js';
import type { RecordingStore } from '../../src/store/recording-store.js';
import { buildRecording, chatJourney, tempRootPerTest, type ScriptSession } from './fixtures.js';

const text = (data: Uint8Array): string => Buffer.from(data).toString();
const types = (r: SessionResult): string[] => r.websockets[0]!.received.map((m) => JSON.parse(text(m.data)).type);
const failures = (results: SessionResult[]): string[] =>
  results.flatMap((r) => [...r.exchanges.map((x) => x.failure), ...r.websockets.map((w) => w.failure)]).filter((f): f is string => !!f);

describe('runReplay', () => {
  const root = tempRootPerTest();
  let backend: ChatBackend | undefined;
  let store: RecordingStore | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await store?.close();
    await backend?.close();
    if (server) await new Promise((resolve) => server!.close(resolve));
    store = undefined;
    backend = undefined;
    server = undefined;
  });

  async function replay(sessions: ScriptSession[], options: Partial<ReplayOptions> = {}): Promise<{ results: SessionResult[]; outcome: Awaited<ReturnType<typeof runReplay>> }> {
    store ??= await buildRecording(root.root, 'rec', sessions);
    const results: SessionResult[] = [];
    const outcome = await runReplay({ store, targets: [{ role: 'primary', url: backend!.url }], onResult: (r) => results.push(r), ...options });
    results.sort((a, b) => a.copy - b.copy);
    return { results, outcome };
  }

  describe('correlation', () => {
    it('replays login -> me -> chat with fresh tokens: all succeed, nothing sent verbatim', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 5 });
      const sessions = ['alice', 'bob', 'carol'].map((user, i) => chatJourney({ id: `s${i}`, start: i * 20, user, messages: ['hi', 'there'] }));
      const { results, outcome } = await replay(sessions, { speed: 10 });
      const report = outcome.reports.primary!;
      expect(failures(results)).toEqual([]);
      expect(report.sessions).toEqual({ total: 3, succeeded: 3, failed: 0 });
      expect(report.unreplacedValues).toBe(0);
      expect(report.successRate).toBe(1);
      expect(types(results[0]!)).toEqual(['ready', 'reply', 'reply']);
      expect(results[0]!.websockets[0]!.close).toMatchObject({ code: 1000, by: 'server' });
      expect(results[0]!.websockets[0]!.url).not.toContain('recorded-token');
    });

    it('without the links the stale token is sent: me gets 401, the chat closes 4001, values are counted', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 5 });
      const journey = { ...chatJourney({ id: 's0', start: 0, user: 'alice' }), links: [] };
      const { results, outcome } = await replay([journey], { speed: 10 });
      expect(failures(results)).toEqual(['status 2xx -> 4xx', 'ws closed early by server (4001)']);
      expect(outcome.reports.primary!.unreplacedValues).toBe(0); // nothing linked, so nothing known to be stale
      expect(outcome.reports.primary!.failures).toEqual([
        { reason: 'status 2xx -> 4xx', count: 1 },
        { reason: 'ws closed early by server (4001)', count: 1 },
      ]);
    });

    it('counts the linked token as unreplaced when the login that issues it fails', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 5 });
      const journey = chatJourney({ id: 's0', start: 0, user: 'alice' });
      (journey.steps[0] as { json: unknown }).json = { username: 'alice', password: 'wrong' };
      const { results, outcome } = await replay([journey], { speed: 10 });
      expect(failures(results)[0]).toBe('status 2xx -> 4xx');
      expect(outcome.reports.primary!.unreplacedValues).toBe(2);
      expect(results[0]!.unreplaced.map((u) => [u.seq, u.at])).toEqual([
        [2, 'header:authorization'],
        [3, 'url'],
      ]);
    });
  });

  describe('load shapes', () => {
    it('--multiply runs N independent copies of every session', async () => {
      backend = await startChatBackend({ slots: 20, inferMs: 1 });
      const sessions = [chatJourney({ id: 'a', start: 0, user: 'alice' }), chatJourney({ id: 'b', start: 50, user: 'bob' })];
      const { results, outcome } = await replay(sessions, { speed: 10, multiply: 3 });
      expect(results.map((r) => r.copy)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(results.filter((r) => r.sessionId === 'a')).toHaveLength(3);
      expect(results.filter((r) => r.sessionId === 'b')).toHaveLength(3);
      expect(outcome.reports.primary!.sessions).toEqual({ total: 6, succeeded: 6, failed: 0 });
      expect(new Set(results.map((r) => r.websockets[0]!.url)).size).toBe(6); // six different fresh tokens
    });

    it('--speed scales the gaps between sessions and the think time inside them', async () => {
      backend = await startChatBackend({ slots: 20, inferMs: 1 });
      const sessions = [0, 1, 2].map((i) => chatJourney({ id: `s${i}`, start: i * 400, user: `u${i}`, thinkMs: 400 }));
      const run = async (speed: number) => {
        const { results, outcome } = await replay(sessions, { speed });
        const me = results[0]!.exchanges[1]!;
        const login = results[0]!.exchanges[0]!;
        const think = (me.sentAt - (login.sentAt + login.latencyMs! * 1000)) / 1000;
        const arrivals = results.map((r) => (r.plannedStart - results[0]!.plannedStart) / 1000);
        return { think, arrivals, lag: results.map((r) => (r.actualStart - r.plannedStart) / 1000), duration: outcome.reports.primary!.durationMs };
      };
      const slow = await run(1);
      const fast = await run(4);
      expect(slow.arrivals).toEqual([0, 400, 800]);
      expect(fast.arrivals).toEqual([0, 100, 200]);
      // Recorded: the login took 2 ms, so me followed its response by 398 ms. Timers never fire early.
      expect(slow.think).toBeGreaterThanOrEqual(397.9);
      expect(fast.think).toBeGreaterThanOrEqual(99.4);
      expect(fast.think).toBeLessThan(slow.think / 2);
      expect(fast.duration).toBeLessThan(slow.duration / 2);
      for (const lag of [...slow.lag, ...fast.lag]) expect(lag).toBeGreaterThanOrEqual(0);
    });

    it('--profile runs each stage on its own: counts per stage, bursts at the planned spacing', async () => {
      backend = await startChatBackend({ slots: 50, inferMs: 1 });
      const sessions = [chatJourney({ id: 'a', start: 0, user: 'alice' }), chatJourney({ id: 'b', start: 10, user: 'bob' })];
      const { results, outcome } = await replay(sessions, { speed: 20, profile: parseProfile('3/150ms*6,2/100ms*4') });
      const report = outcome.reports.primary!;
      expect(report.stages.map((s) => [s.index, s.spec, s.sessions])).toEqual([
        [1, '3/150ms*6', 6],
        [2, '2/100ms*4', 4],
      ]);
      const planned = results.map((r) => (r.plannedStart - results[0]!.plannedStart) / 1000);
      expect(planned).toEqual([0, 0, 0, 150, 150, 150, 300, 300, 400, 400]);
      expect(results.map((r) => r.sessionId)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
      // Every start on or after its planned time, and far closer to it than to the next burst.
      for (const r of results) {
        const lagMs = (r.actualStart - r.plannedStart) / 1000;
        expect(lagMs).toBeGreaterThanOrEqual(0);
        expect(lagMs).toBeLessThan(50);
      }
    });

    it('a slow target never delays arrivals (open model)', async () => {
      let release: (() => void) | undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      server = createServer((_req, res) => void held.then(() => res.end('{}')));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      backend = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, port: 0, close: async () => undefined };
      const sessions: ScriptSession[] = [{ id: 'slow', start: 0, steps: [{ http: 'GET /slow', at: 0 }] }];
      const starts: number[] = [];
      store = await buildRecording(root.root, 'rec', sessions);
      const done = runReplay({
        store,
        targets: [{ role: 'primary', url: backend.url }],
        profile: parseProfile('1/20ms*5'),
        onProgress: (p) => {
          starts.push(p.started);
          if (p.started === 5) release!();
        },
        progressIntervalMs: 5,
      });
      const outcome = await done;
      // All five started while the first was still waiting for its response.
      expect(starts.some((n) => n === 5)).toBe(true);
      expect(outcome.reports.primary!.sessions.succeeded).toBe(5);
    });
  });

  describe('identities', () => {
    it('--vary gives every copy its own user', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      const { results } = await replay([chatJourney({ id: 's', start: 0, user: 'alice' })], { speed: 10, multiply: 3, vary: [parseVary('json:$.username={{value}}-{{copy}}')] });
      const users = results.map((r) => JSON.parse(text(r.websockets[0]!.received[0]!.data)).user);
      expect(users).toEqual(['alice-0', 'alice-1', 'alice-2']);
    });

    it('--users rotates credentials by column name; a wrong password fails that copy only', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      const users = { columns: [{ in: 'json' as const, path: '$.username' }, { in: 'json' as const, path: '$.password' }], rows: [['ann', 'secret'], ['ben', 'wrong']] };
      const { results } = await replay([chatJourney({ id: 's', start: 0, user: 'alice' })], { speed: 10, multiply: 4, users });
      expect(results.map((r) => r.ok)).toEqual([true, false, true, false]);
      expect(JSON.parse(text(results[2]!.websockets[0]!.received[0]!.data)).user).toBe('ann');
      expect(results[1]!.exchanges[0]!.status).toBe(401);
    });
  });

  describe('queue fairness', () => {
    // One slot: the first user chats while the others queue; each holds the slot a while.
    const queueing = (): ScriptSession[] => [0, 1, 2, 3, 4].map((i) => chatJourney({ id: `s${i}`, start: 0, user: `u${i}`, thinkMs: 60 }));

    it('passes against a FIFO queue, and queued users wait for ready before they chat', async () => {
      backend = await startChatBackend({ slots: 1, inferMs: 20, queue: 'fifo' });
      const { results, outcome } = await replay(queueing(), { profile: parseProfile('1/40ms*5'), expectFifo: parseFifoSpec('ws:$.type=ready'), wsKey: '$.type' });
      const fifo = outcome.reports.primary!.fifo!;
      expect(fifo).toMatchObject({ ok: true, sessions: 5, reached: 5, inversions: 0 });
      // Two arrivals that a busy machine brings within the 10 ms tie window lower tau-b below 1 without an inversion.
      expect(fifo.kendallTau).toBeGreaterThan(0.8);
      expect(outcome.ok).toBe(true);
      expect(failures(results)).toEqual([]);
      const last = types(results[4]!);
      expect(last[0]).toBe('queued');
      expect(last.slice(-2)).toEqual(['ready', 'reply']);
      expect(last).not.toContain('error');
    });

    it('fails against a LIFO queue with inversions counted', async () => {
      backend = await startChatBackend({ slots: 1, inferMs: 20, queue: 'lifo' });
      const { outcome } = await replay(queueing(), { profile: parseProfile('1/40ms*5'), expectFifo: parseFifoSpec('ws:$.type=ready'), wsKey: '$.type' });
      const fifo = outcome.reports.primary!.fifo!;
      expect(fifo.ok).toBe(false);
      expect(fifo.inversions).toBeGreaterThan(0);
      expect(fifo.kendallTau).toBeLessThan(1);
      expect(outcome.ok).toBe(false);
      expect(outcome.reports.primary!.ok).toBe(false);
    });
  });

  describe('the run', () => {
    it('is stored with every result and its report, readable without replaying', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      const { outcome } = await replay([chatJourney({ id: 's', start: 0, user: 'alice' })], { speed: 10, multiply: 2, commandOptions: { speed: '10' } });
      const stored = await store!.run(outcome.run.id);
      expect(stored).toMatchObject({ kind: 'replay', recording: 'rec', options: { speed: '10' }, targets: [{ role: 'primary', url: backend.url }] });
      expect(stored!.endedAt).toBeGreaterThan(stored!.startedAt);
      expect((stored!.report as { sessions: unknown }).sessions).toEqual({ total: 2, succeeded: 2, failed: 0 });
      const results: SessionResult[] = [];
      for await (const r of store!.results(outcome.run.id, 'primary')) results.push(r);
      expect(results.map((r) => r.copy)).toEqual([0, 1]);
      expect(Buffer.from(results[0]!.websockets[0]!.received[0]!.data).toString()).toContain('ready');
    });

    it('gives every target its own copy of every session, concurrently', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      const other = await startChatBackend({ slots: 10, inferMs: 1 });
      try {
        store = await buildRecording(root.root, 'rec', [chatJourney({ id: 's', start: 0, user: 'alice' })]);
        const results: SessionResult[] = [];
        const outcome = await runReplay({
          store,
          speed: 10,
          targets: [
            { role: 'primary', url: backend.url },
            { role: 'candidate', url: other.url },
          ],
          onResult: (r) => results.push(r),
        });
        expect(results.map((r) => `${r.role}#${r.copy}`).sort()).toEqual(['candidate#0', 'primary#0']);
        expect(outcome.reports.candidate!.sessions.succeeded).toBe(1);
        expect(outcome.reports.primary!.target).toBe(backend.url);
      } finally {
        await other.close();
      }
    });

    it('keeps the run when a threshold names an endpoint the run never saw, then says so', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      store = await buildRecording(root.root, 'rec', [chatJourney({ id: 's', start: 0, user: 'alice' })]);
      const thresholds = [parseThreshold('p95{endpoint:GET /nowhere}<100')];
      await expect(runReplay({ store, speed: 10, thresholds, targets: [{ role: 'primary', url: backend.url }] })).rejects.toMatchObject({ code: 'REPRISE_USAGE', message: expect.stringContaining('unknown endpoint') });
      const runs = [];
      for await (const run of store.runs()) runs.push(run);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.endedAt).toBeDefined();
    });

    it('stops at an abort: waits end at once, the run and what ran are kept', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      const slow = [0, 1, 2].map((i) => chatJourney({ id: `s${i}`, start: i * 10, user: `u${i}`, thinkMs: 60_000 }));
      store = await buildRecording(root.root, 'rec', slow);
      const abort = new AbortController();
      const outcome = await runReplay({
        store,
        targets: [{ role: 'primary', url: backend.url }],
        signal: abort.signal,
        progressIntervalMs: 5,
        onProgress: (p) => {
          if (p.started === 3) abort.abort();
        },
      });
      expect(outcome.reports.primary!.sessions).toEqual({ total: 3, succeeded: 0, failed: 3 });
      // Each session's failure, and each request or handshake the abort caught in flight.
      const report = outcome.reports.primary!;
      expect(report.failures).toContainEqual({ reason: 'stopped: the run was aborted', count: 3 + report.exchanges.failed });
      expect(outcome.run.endedAt).toBeDefined();
      expect(await store.run(outcome.run.id)).toMatchObject({ id: outcome.run.id, report: expect.anything() });
    });

    it('refuses the recording’s own origin unless allowed, and a target that is not listening', async () => {
      backend = await startChatBackend({ slots: 10, inferMs: 1 });
      store = await buildRecording(root.root, 'rec', [chatJourney({ id: 's', start: 0, user: 'alice' })], backend.url.replace('127.0.0.1', 'localhost'));
      await expect(runReplay({ store, targets: [{ role: 'primary', url: backend.url }] })).rejects.toMatchObject({ code: 'REPRISE_USAGE', message: expect.stringContaining('--allow-origin') });
      const allowed = await runReplay({ store, speed: 10, allowOrigin: true, targets: [{ role: 'primary', url: backend.url }] });
      expect(allowed.ok).toBe(true);
      const closed = await startChatBackend();
      const url = closed.url;
      await closed.close();
      await expect(runReplay({ store, targets: [{ role: 'primary', url }] })).rejects.toMatchObject({ code: 'REPRISE_TARGET_UNREACHABLE' });
    });
  });
});
