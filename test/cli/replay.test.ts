import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import { RecordingStore } from '../../src/store/recording-store.js';
import { runCli } from '../helpers/cli.js';
import { buildRecording, chatJourney, tempRoot } from '../replay/fixtures.js';

/** The built CLI end to end (npm test builds dist first): flags, summary, --out and exit codes. */
describe('reprise replay', () => {
  let root: { root: string; remove: () => Promise<void> };
  let backend: ChatBackend;
  const replay = (...args: string[]) => runCli(['replay', 'chat', '--store', root.root, ...args]);

  beforeAll(async () => {
    root = await tempRoot();
    backend = await startChatBackend({ slots: 10, inferMs: 1 });
    const sessions = ['alice', 'bob'].map((user, i) => chatJourney({ id: `s${i}`, start: i * 50, user }));
    await (await buildRecording(root.root, 'chat', sessions)).close();
    await (await buildRecording(root.root, 'own', sessions, backend.url)).close();
  });
  afterAll(async () => {
    await backend.close();
    await root.remove();
  });

  it('prints the summary, writes --out and exits 0 when every threshold holds', async () => {
    const out = join(root.root, 'report.json');
    const r = await replay('--target', backend.url, '--speed', '10', '--multiply', '2', '--threshold', 'success_rate>=0.99', '--threshold', 'p99{tag:authenticated}<5000', '--expect-fifo', 'ws:$.type=ready', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sessions \.+ 4 \(4 ok, 0 failed\)/);
    expect(r.stdout).toMatch(/✓ all 3 checks passed/);
    const report = JSON.parse(await readFile(out, 'utf8'));
    for (const key of ['ok', 'sessions', 'exchanges', 'successRate', 'latencyMs', 'byTag', 'stages', 'endpoints', 'lagMs', 'missedStarts', 'unreplacedValues', 'thresholds', 'failures', 'fifo']) {
      expect(report).toHaveProperty(key);
    }
    expect(report).toMatchObject({ ok: true, sessions: { total: 4, succeeded: 4, failed: 0 }, exchanges: { total: 12, succeeded: 12, failed: 0 }, successRate: 1, unreplacedValues: 0, missedStarts: 0 });
    expect(Object.keys(report.latencyMs)).toEqual(['count', 'p50', 'p90', 'p95', 'p99', 'max']);
    expect(report.byTag.authenticated).toMatchObject({ sessions: 4, successRate: 1, latencyMs: expect.any(Object) });
    expect(report.stages[0]).toMatchObject({ spec: 'recorded', sessions: 4, successRate: 1 });
    expect(report.thresholds).toEqual([
      { expr: 'success_rate>=0.99', ok: true, value: 1 },
      { expr: 'p99{tag:authenticated}<5000', ok: true, value: expect.any(Number) },
    ]);
    expect(report.fifo).toMatchObject({ spec: 'ws:$.type=ready', ok: true, reached: 4, inversions: 0 });
    expect(Object.keys(report.lagMs)).toEqual(['p50', 'p99', 'max']);
  });

  it('stores the run with the flags as given and the seed it used, output flags left out', async () => {
    const r = await replay('--target', backend.url, '--profile', '1/10ms*3', '--pick', 'random', '--quiet', '--junit', join(root.root, 'j.xml'));
    expect(r.code).toBe(0);
    const store = await RecordingStore.open(root.root, 'chat');
    try {
      const runs = [];
      for await (const run of store.runs()) runs.push(run);
      const last = runs.sort((a, b) => a.startedAt - b.startedAt).at(-1)!;
      expect(last.options).toMatchObject({ name: 'chat', target: backend.url, profile: '1/10ms*3', pick: 'random', seed: expect.any(Number) });
      expect(last.options).not.toHaveProperty('junit');
      expect(last.options).not.toHaveProperty('quiet');
    } finally {
      await store.close();
    }
  });

  it('exits 99 when a threshold fails', async () => {
    const r = await replay('--target', backend.url, '--speed', '10', '--threshold', 'p95<0.001', '--quiet');
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/p95<0\.001 \.+ ✗/);
  });

  it('prints plain progress lines on stderr when not quiet', async () => {
    const r = await replay('--target', backend.url, '--speed', '10');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^replay: started 2\/2 · finished 2/m);
  });

  it.each([
    ['a bad threshold', ['--threshold', 'p95<<1'], /--threshold "p95<<1"/],
    ['an unknown metric', ['--threshold', 'latency<1'], /unknown metric "latency"/],
    ['an unknown tag', ['--threshold', 'p95{tag:admins}<1'], /unknown tag "admins"/],
    ['a bad profile', ['--profile', '10/s'], /bad --profile/],
    ['a bad speed', ['--speed', '1000'], /bad --speed/],
    ['a bad --vary', ['--vary', 'json:$.username'], /bad --vary/],
    ['a bad --expect-fifo', ['--expect-fifo', 'ready'], /bad --expect-fifo/],
  ])('exits 2 with one line for %s', async (_what, args, message) => {
    const r = await replay('--target', backend.url, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('exits 2 for an unknown recording and an unreachable target', async () => {
    const unknown = await runCli(['replay', 'nope', '--store', root.root, '--target', backend.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no recording named "nope"/);
    const closed = await startChatBackend();
    await closed.close();
    const unreachable = await replay('--target', closed.url);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/is unreachable: ECONNREFUSED/);
  });

  it('refuses the recording’s own origin unless --allow-origin', async () => {
    const refused = await runCli(['replay', 'own', '--store', root.root, '--target', backend.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to replay against .* --allow-origin/);
    const allowed = await runCli(['replay', 'own', '--store', root.root, '--target', backend.url, '--allow-origin', '--speed', '10', '--quiet']);
    expect(allowed.code).toBe(0);
  });
});
