import { describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/report/model.js';
import { checkThresholdNames, evaluateThresholds, METRICS, parseThreshold, verdict } from '../../src/report/thresholds.js';

const latency = (p: number) => ({ count: 10, p50: p, p90: p * 2, p95: p * 3, p99: p * 4, max: p * 5 });

const report: ReplayReport = {
  kind: 'replay',
  runId: 'r',
  recording: 'rec',
  target: 't',
  startedAt: '',
  durationMs: 1,
  ok: true,
  sessions: { total: 100, succeeded: 97, failed: 3 },
  exchanges: { total: 300, succeeded: 295, failed: 5 },
  successRate: 0.97,
  latencyMs: latency(100),
  byTag: { authenticated: { sessions: 50, successRate: 0.94, latencyMs: latency(200) }, anonymous: { sessions: 50, successRate: 1, latencyMs: latency(50) } },
  stages: [
    { index: 1, spec: '1/1s*10', sessions: 10, successRate: 1, latencyMs: latency(20), byTag: {} },
    { index: 2, spec: '10/1s*90', sessions: 90, successRate: 0.9667, latencyMs: latency(120), byTag: { authenticated: { sessions: 45, successRate: 0.9, latencyMs: latency(300) } } },
    { index: 3, spec: '1/1s*5', sessions: 0, successRate: 0, latencyMs: { count: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 }, byTag: {} },
  ],
  endpoints: [{ endpoint: 'GET /api/me', requests: 100, failed: 5, successRate: 0.95, latencyMs: latency(30) }],
  lagMs: { p50: 0.5, p99: 4, max: 12 },
  missedStarts: 2,
  unreplacedValues: 0,
  thresholds: [],
  failures: [],
  timeline: [],
};

const check = (expr: string) => evaluateThresholds([parseThreshold(expr)], report)[0]!;

describe('thresholds', () => {
  it.each([
    ['success_rate>=0.95', true, 0.97],
    ['success_rate>=0.99', false, 0.97],
    ['success_rate>=97%', true, 0.97],
    ['p95<500', true, 300],
    ['p95 < 200', false, 300],
    ['p99{tag:authenticated}<800', true, 800 - 0],
    ['success_rate{stage:2}>=0.95', true, 0.9667],
    ['success_rate{stage:2,tag:authenticated}>=0.95', false, 0.9],
    ['p99<1s', true, 400],
    ['max{endpoint:GET /api/me}<=150', true, 150],
    ['exchanges_failed{endpoint:GET /api/me}==5', true, 5],
    ['missed_starts==0', false, 2],
    ['unreplaced_values==0', true, 0],
    ['lag_p99<10', true, 4],
    ['lag_max<10', false, 12],
    ['sessions_failed{tag:authenticated}<=3', true, 3],
    ['sessions{stage:1}==10', true, 10],
  ])('%s -> %s', (expr, ok, value) => {
    const result = check(expr);
    if (expr.startsWith('p99{tag')) expect(result).toEqual({ expr, ok: false, value: 800 }); // 800 < 800 fails
    else expect(result).toEqual({ expr, ok, value });
  });

  it('fails a metric without data instead of passing it', () => {
    expect(check('success_rate{stage:3}>=0')).toEqual({ expr: 'success_rate{stage:3}>=0', ok: false, value: null });
    expect(check('p95{tag:nobody}<1')).toMatchObject({ ok: false, value: null });
  });

  it.each(['p95', 'p95<<3', 'latency<5', 'p95{tag}<5', 'p95{color:red}<5', 'lag_p99{tag:a}<5', 'p95<fast', 'success_rate{stage:two}>1', 'p95{endpoint:GET /,tag:a}<1'])(
    'refuses "%s" as a usage error',
    (expr) => {
      expect(() => parseThreshold(expr)).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
    },
  );

  it('refuses a tag or stage the plan does not have, and an endpoint the run did not see', () => {
    const known = { tags: ['anonymous', 'authenticated'], stages: [1, 2, 3] };
    expect(() => checkThresholdNames([parseThreshold('p99{tag:admin}<1')], known)).toThrow(/unknown tag "admin"/);
    expect(() => checkThresholdNames([parseThreshold('p99{stage:9}<1')], known)).toThrow(/unknown stage 9/);
    expect(() => checkThresholdNames([parseThreshold('p99{tag:authenticated,stage:2}<1')], known)).not.toThrow();
    expect(() => check('p99{endpoint:GET /nope}<1')).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
  });

  it('the verdict needs every threshold and the FIFO check', () => {
    expect(verdict({ ...report, thresholds: [{ expr: 'a', ok: true, value: 1 }] })).toBe(true);
    expect(verdict({ ...report, thresholds: [{ expr: 'a', ok: false, value: 1 }] })).toBe(false);
    expect(verdict({ ...report, fifo: { spec: 's', ok: false, sessions: 1, reached: 0, inversions: 0, kendallTau: 1, neverReached: ['x#0'] } })).toBe(false);
    expect(Object.keys(METRICS)).toContain('unreplaced_values');
  });
});
