import { describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/report/model.js';
import { renderReplaySummaries, renderReplaySummary } from '../../src/report/terminal.js';

const latency = (p: number) => ({ count: 10, p50: p, p90: p * 2, p95: p * 3, p99: p * 4, max: p * 5 });

function report(over: Partial<ReplayReport> = {}): ReplayReport {
  return {
    kind: 'replay',
    runId: '20250101-000000-abcd',
    recording: 'rec',
    target: 'http://a',
    startedAt: '',
    durationMs: 12_300,
    ok: false,
    sessions: { total: 100, succeeded: 97, failed: 3 },
    exchanges: { total: 300, succeeded: 295, failed: 5 },
    successRate: 0.97,
    latencyMs: latency(10),
    byTag: { authenticated: { sessions: 50, successRate: 0.94, latencyMs: latency(20) } },
    stages: [{ index: 0, spec: 'recorded', sessions: 100, successRate: 0.97, latencyMs: latency(10), byTag: {} }],
    endpoints: [{ endpoint: 'GET /api/me', requests: 100, failed: 5, successRate: 0.95, latencyMs: latency(3) }],
    lagMs: { p50: 0.5, p99: 4, max: 12 },
    missedStarts: 0,
    unreplacedValues: 1,
    thresholds: [
      { expr: 'success_rate>=0.99', ok: false, value: 0.97 },
      { expr: 'p95<500', ok: true, value: 30 },
    ],
    failures: [{ reason: 'status 2xx -> 5xx', count: 5 }],
    fifo: { spec: 'ws:$.type=ready', ok: true, sessions: 50, reached: 50, inversions: 0, kendallTau: 1, neverReached: [] },
    timeline: [],
    ...over,
  };
}

describe('terminal summary', () => {
  it('prints the k6-like summary: counts, latency, tags, endpoints, failures, checks', () => {
    const text = renderReplaySummary(report());
    for (const line of [
      /sessions \.+ 100 \(97 ok, 3 failed\)/,
      /success rate \.+ 97%/,
      /latency \.+ p50 10ms {2}p90 20ms {2}p95 30ms {2}p99 40ms {2}max 50ms/,
      /schedule lag \.+ p50 500µs {2}p99 4ms {2}max 12ms/,
      /unreplaced values \.+ 1/,
      /authenticated \.+ 50 sessions {2}94%/,
      /GET \/api\/me \.+ 100 req {2}95%/,
      /status 2xx -> 5xx \.+ 5/,
      /ws:\$\.type=ready \.+ ✓ reached 50\/50 {2}inversions 0 {2}tau 1\.000/,
      /success_rate>=0\.99 \.+ ✗ 97%/,
      /p95<500 \.+ ✓ 30ms/,
      /✗ 1 of 3 checks failed/,
    ]) {
      expect(text).toMatch(line);
    }
    expect(text).not.toMatch(/by stage/); // the recorded arrivals are one stage, not worth a table
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('lines values up in one column and colours only when asked', () => {
    const lines = renderReplaySummary(report()).split('\n').filter((l) => / \.{2,} /.test(l));
    const columns = new Set(lines.map((l) => l.search(/ \.+ \S/) + l.match(/ \.+ /)![0].length));
    expect(columns.size).toBe(1);
    expect(renderReplaySummary(report(), { color: true })).toMatch(/\x1b\[31m/);
  });

  it('lays out several reports side by side, a dash where one has no such row', () => {
    const a = report();
    const b = report({ target: 'http://b', successRate: 0.5, byTag: { anonymous: { sessions: 9, successRate: 1, latencyMs: latency(1) } } });
    const text = renderReplaySummaries([
      { title: 'primary http://a', report: a },
      { title: 'candidate http://b', report: b },
    ]);
    expect(text).toMatch(/primary http:\/\/a +candidate http:\/\/b/);
    expect(text).toMatch(/success rate \.+ 97% +50%/);
    expect(text).toMatch(/authenticated \.+ 50 sessions .+ +–/);
    expect(text).toMatch(/anonymous \.+ – +9 sessions/);
  });
});
