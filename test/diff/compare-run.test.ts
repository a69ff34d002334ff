import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompare, type CompareOptions } from '../../src/diff/compare-run.js';
import { parseProfile } from '../../src/replay/profile.js';
import { renderCompareSummary } from '../../src/report/compare-terminal.js';
import type { CompareReport } from '../../src/report/model.js';
import type { RecordingStore } from '../../src/store/recording-store.js';
import { buildRecording, tempRoot } from '../replay/fixtures.js';
import { ALL_PLANTS, journey, startFixtureBackend, type FixtureBackend } from './fixture-backend.js';

/** Every planted difference, where and how the report must name it. */
const PLANTED = [
  'POST /api/login body.user.id type high',
  'GET /api/me body.email missing high',
  'GET /api/me body.plan extra low',
  'GET /api/items/:id body.price value medium',
  'GET /api/flags status status high',
  'WS /ws/chat ws.message[type=reply].text value medium',
  'WS /ws/chat ws.message[type=notice] ws-missing-message high',
  'WS /ws/chat ws.close.code ws-close medium',
];

/** Fields whose values differ on every run: listed as noise, never as differences. */
const NOISE = [
  'POST /api/login body.token hex-id',
  'POST /api/login body.session uuid',
  'POST /api/login body.user.created_at timestamp',
  'GET /api/me body.created_at timestamp',
  'WS /ws/chat ws.message[type=ready].id uuid',
  'WS /ws/chat ws.message[type=ready].at timestamp',
  'WS /ws/chat ws.message[type=reply].at epoch',
];

function differences(report: CompareReport): string[] {
  return report.routes.flatMap((r) => r.differences.map((d) => `${r.route} ${d.path} ${d.kind} ${d.risk}`)).sort();
}

function noise(report: CompareReport): string[] {
  return report.routes.flatMap((r) => r.noise.map((n) => `${r.route} ${n.path} ${n.reason}`)).sort();
}

describe('runCompare', () => {
  let temp: Awaited<ReturnType<typeof tempRoot>>;
  let store: RecordingStore;
  const backends: FixtureBackend[] = [];
  let primary: FixtureBackend;
  let twin: FixtureBackend;
  let planted: FixtureBackend;

  beforeAll(async () => {
    temp = await tempRoot();
    store = await buildRecording(temp.root, 'shop', [journey('alice', 0, 'alice'), journey('guest', 50), journey('bob', 100, 'bob')]);
    for (const plant of [{}, {}, ALL_PLANTS]) backends.push(await startFixtureBackend(plant));
    [primary, twin, planted] = backends as [FixtureBackend, FixtureBackend, FixtureBackend];
  });

  afterAll(async () => {
    await store.close();
    await Promise.all(backends.map((b) => b.close()));
    await temp.remove();
  });

  const compare = (o: Partial<CompareOptions> & Pick<CompareOptions, 'primary' | 'candidate'>) =>
    runCompare({ store, speed: Number.POSITIVE_INFINITY, multiply: 3, wsKey: '$.type', timeoutMs: 5000, ...o });

  it('reports every planted difference at its path with its kind and risk, and no noise, against the recording', async () => {
    const { report } = await compare({ primary: primary.url, candidate: planted.url });
    expect(differences(report)).toEqual([...PLANTED].sort());
    expect(noise(report)).toEqual([...NOISE, 'POST /api/login body.nonce recorded'].sort());
    expect(report.summary).toEqual({ high: 4, medium: 3, low: 1, noise: 8 });
    const login = report.routes.find((r) => r.route === 'POST /api/login')!;
    expect(login.requests).toBe(6);
    expect(login.differences[0]).toMatchObject({ raw: 6, noise: 0 });
    expect(login.differences[0]!.samples[0]).toMatchObject({ primary: 1, candidate: '1' });
    expect(login.differences[0]!.samples[0]!.at).toMatch(/^(alice|bob)#\d+ seq 1$/);
  });

  it('measures noise against a secondary when there is one', async () => {
    const { report } = await compare({ primary: primary.url, candidate: planted.url, secondary: twin.url });
    expect(differences(report)).toEqual([...PLANTED].sort());
    expect(noise(report)).toEqual([...NOISE, 'POST /api/login body.nonce secondary'].sort());
    expect(report.targets.secondary?.target).toBe(twin.url);
  });

  it('finds no difference between two instances of the same code, and stores the report on the run', async () => {
    const { report, run } = await compare({ primary: primary.url, candidate: twin.url });
    expect(differences(report)).toEqual([]);
    expect(report.summary).toMatchObject({ high: 0, medium: 0, low: 0 });
    expect(report.routes.map((r) => `${r.route} ${r.requests}`).sort()).toEqual([
      'GET /api/flags 9',
      'GET /api/items/:id 9',
      'GET /api/me 6',
      'POST /api/login 6',
      'WS /ws/chat 9',
    ]);
    expect(report.ok).toBe(true);
    const stored = await store.run(run.id);
    expect(stored).toMatchObject({ kind: 'compare', report: { kind: 'compare', runId: run.id } });
    expect((stored!.report as CompareReport).routes).toEqual(JSON.parse(JSON.stringify(report.routes)));
  });

  it('tells the ramp story: the primary fails authenticated sessions only from the second stage on, the candidate holds', async () => {
    const fragile = await startFixtureBackend({ authLimit: 2 });
    backends.push(fragile);
    const { report } = await compare({ primary: fragile.url, candidate: twin.url, multiply: undefined, profile: parseProfile('3/1s*3,6/1s*6') });
    const rates = (r: CompareReport['targets']['primary']) => r.stages.map((s) => [s.byTag.authenticated?.successRate, s.byTag.anonymous?.successRate]);
    expect(rates(report.targets.primary)).toEqual([[1, 1], [0, 1]]);
    expect(rates(report.targets.candidate)).toEqual([[1, 1], [1, 1]]);
    const table = renderCompareSummary(report).split('\n');
    const row = table.findIndex((l) => l.includes('success rate by stage and tag'));
    expect(table[row + 4]).toMatch(/^ +2 +6\/1s\*6 +100% +0% +33\.3% +100% +100% +100%$/);
  });

  it('drops ignored fields, fails on the level asked for, and keeps the targets side by side', async () => {
    const { report } = await compare({
      primary: primary.url,
      candidate: planted.url,
      ignore: ['GET /api/me@body', 'ws.close', 'status'],
      failOn: 'medium',
      thresholds: [],
    });
    expect(differences(report)).toEqual([
      'GET /api/items/:id body.price value medium',
      'POST /api/login body.user.id type high',
      'WS /ws/chat ws.message[type=notice] ws-missing-message high',
      'WS /ws/chat ws.message[type=reply].text value medium',
    ]);
    expect(report.ok).toBe(false);
    expect(report.failOn).toBe('medium');
    expect(report.targets.primary.successRate).toBe(1);
    expect(report.targets.candidate.successRate).toBeLessThan(1);
    expect(report.targets.candidate.byTag.authenticated?.sessions).toBe(6);
  });
});
