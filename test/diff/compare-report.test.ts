import { describe, expect, it } from 'vitest';
import { buildCompareReport, differencesFail, targetsPassed } from '../../src/diff/compare-report.js';
import type { Run } from '../../src/model/run.js';
import type { RouteDifferences } from '../../src/report/model.js';
import { replayReport } from '../report/fixtures.js';

const run: Run = { id: 'r1', kind: 'compare', recording: 'shop', startedAt: 1_700_000_000_000_000, endedAt: 1_700_000_002_500_000, targets: [], options: {} };
const routes: RouteDifferences[] = [
  { route: 'GET /a', requests: 10, differences: [{ path: 'body.x', kind: 'value', raw: 10, noise: 0, risk: 'medium', samples: [] }], noise: [{ path: 'body.id', kind: 'value', count: 10, reason: 'uuid' }] },
  { route: 'GET /b', requests: 5, differences: [], noise: [] },
];
const passing = replayReport({ ok: true, thresholds: [{ expr: 'p95<500', ok: true, value: 12 }] });
const failing = replayReport({ ok: false, thresholds: [{ expr: 'p95<500', ok: false, value: 900 }] });

describe('buildCompareReport', () => {
  it('puts the targets side by side, summarises the differences and names thresholds by target', () => {
    const report = buildCompareReport({ run, reports: { primary: passing, candidate: failing }, routes });
    expect(report).toMatchObject({ kind: 'compare', runId: 'r1', recording: 'shop', startedAt: '2023-11-14T22:13:20.000Z', durationMs: 2500, ok: false });
    expect(report.summary).toEqual({ high: 0, medium: 1, low: 0, noise: 1 });
    expect(report.thresholds.map((t) => `${t.expr} ${t.ok}`)).toEqual(['primary: p95<500 true', 'candidate: p95<500 false']);
    expect(targetsPassed(report)).toBe(false);
    expect(report.targets.secondary).toBeUndefined();
  });

  it('fails on differences at the --fail-on level or above only', () => {
    const at = (failOn: 'high' | 'medium' | 'low') => buildCompareReport({ run, reports: { primary: passing, candidate: passing }, routes, failOn });
    expect(differencesFail(at('high'))).toBe(false);
    expect(at('high').ok).toBe(true);
    expect(differencesFail(at('medium'))).toBe(true);
    expect(at('low').ok).toBe(false);
    expect(differencesFail(buildCompareReport({ run, reports: { primary: passing, candidate: passing }, routes }))).toBe(false);
  });
});
