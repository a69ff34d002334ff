import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoOutcome } from '../../src/demo/demo.js';
import { formatDemoSummary } from '../../src/demo/summary.js';
import { RecordingStore } from '../../src/store/recording-store.js';

describe('reprise demo', () => {
  let root: string;
  let outcome: DemoOutcome;
  const lines: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'reprise-demo-'));
    // An earlier demo recording is replaced, not refused.
    const old = await RecordingStore.create(root, { name: 'demo', target: 'http://127.0.0.1:9', startedAt: 1, counts: { sessions: 0, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 }, options: { maxBody: 1, sessionKeys: [], redact: [] } });
    await old.close();
    outcome = await runDemo({ store: root, log: (l) => lines.push(l) });
  }, 120_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('records every synthetic user as a session of its own, logged in or not', async () => {
    expect(outcome.traffic.failures).toEqual([]);
    expect(outcome.recording.sessions).toBe(outcome.traffic.users);
    const store = await RecordingStore.open(root, 'demo');
    try {
      const tags: string[] = [];
      for await (const s of store.sessions()) tags.push(...s.tags);
      expect(tags.filter((t) => t === 'authenticated')).toHaveLength(outcome.traffic.authenticated);
      expect(tags.filter((t) => t === 'anonymous')).toHaveLength(outcome.traffic.users - outcome.traffic.authenticated);
      expect(store.meta.target).not.toBe('http://127.0.0.1:9');
    } finally {
      await store.close();
    }
  });

  it('replays them x10 at 5x against version 1: all succeed, tokens replaced, queue fair', () => {
    const r = outcome.replay;
    expect(r.sessions.total).toBe(outcome.recording.sessions * 10);
    expect(r.successRate).toBe(1);
    expect(r.unreplacedValues).toBe(0);
    expect(r.fifo).toMatchObject({ ok: true, reached: r.sessions.total });
    // The latency threshold depends on the machine's load, so only the success-rate one is asserted.
    expect(r.thresholds.map((t) => t.expr)).toEqual(['success_rate>=0.95', 'p95<2000']);
    expect(r.thresholds[0]!.ok).toBe(true);
  });

  it('compares v1 and v2: the planted differences at their paths, and v2\'s LIFO queue caught', () => {
    const c = outcome.compare;
    const found = c.routes.flatMap((r) => r.differences.map((d) => `${r.route} ${d.path} ${d.kind} ${d.risk}`));
    expect(found).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login body.user.created_at type high',
        'GET /api/me body.plan extra low',
        'WS /ws/chat ws.message[type=reply].text value medium',
      ]),
    );
    expect(found.join('\n')).not.toMatch(/token|\.at /);
    expect(c.targets.primary.fifo).toMatchObject({ ok: true });
    expect(c.targets.candidate.fifo).toMatchObject({ ok: false });
    expect(c.targets.candidate.fifo!.kendallTau).toBeLessThan(1);
  });

  it('writes self-contained HTML reports and stores both runs', async () => {
    expect(outcome.reportPath).toBe(join(root, 'demo', 'report.html'));
    const compareHtml = await readFile(outcome.reportPath, 'utf8');
    expect(compareHtml).toContain('Compare report');
    expect(compareHtml).toContain('body.user.created_at');
    const replayHtml = await readFile(outcome.replayReportPath, 'utf8');
    expect(replayHtml).toContain('Replay report');
    expect(replayHtml).toContain(outcome.replay.runId);
    const store = await RecordingStore.open(root, 'demo');
    try {
      expect((await store.run(outcome.replay.runId))?.report).toMatchObject({ kind: 'replay', runId: outcome.replay.runId });
      expect((await store.run(outcome.compare.runId))?.report).toMatchObject({ kind: 'compare', runId: outcome.compare.runId });
    } finally {
      await store.close();
    }
  });

  it('ends with a short summary naming the report', () => {
    const text = formatDemoSummary(outcome, 12_345);
    expect(text).toContain(`report    ${outcome.reportPath}`);
    expect(text).toMatch(/replayed  \d+ sessions \(x10 at 5x speed\): 100% ok/);
    expect(text).toMatch(/compared v1 and v2 on the same sessions: \d+ high/);
    expect(text).toMatch(/v2 .* queue unfair/);
    expect(text).toContain('done in 12.35s');
    expect(lines[0]).toMatch(/^demo: chat v1 at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('leaves a folder named like the recording alone when it is not a recording', async () => {
    const other = await mkdtemp(join(tmpdir(), 'reprise-demo-conflict-'));
    await mkdir(join(other, 'demo'));
    await writeFile(join(other, 'demo', 'notes.txt'), 'mine');
    await expect(runDemo({ store: other, quiet: true })).rejects.toThrow(/exists and is not a recording/);
    expect(await readFile(join(other, 'demo', 'notes.txt'), 'utf8')).toBe('mine');
    await rm(other, { recursive: true, force: true });
  });
});
