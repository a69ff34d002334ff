import { describe, expect, it } from 'vitest';
import { chartSpecs } from '../../../src/report/html/charts.js';
import { replayReport, timeline } from '../fixtures.js';

describe('chartSpecs', () => {
  it('charts latency percentiles, throughput and active sessions of one target', () => {
    const report = replayReport();
    const [latency, throughput, sessions] = chartSpecs([{ role: 'target', report }]);
    expect(latency!.series.map((s) => s.label)).toEqual(['p50', 'p95', 'p99']);
    expect(latency!.x).toEqual(report.timeline.map((p) => p.t));
    expect(latency!.series[1]!.values[5]).toBeCloseTo(report.timeline[5]!.latencyMs.p95, 3);
    expect(throughput!.series.map((s) => s.label)).toEqual(['requests', 'failed']);
    expect(throughput!.series[1]!.values).toEqual(report.timeline.map((p) => p.failed));
    expect(sessions!.series[0]!.values).toEqual(report.timeline.map((p) => p.active));
  });

  it('breaks the latency line in seconds without requests instead of drawing zero', () => {
    const points = timeline(3);
    points[1] = { ...points[1]!, requests: 0, latencyMs: { p50: 0, p95: 0, p99: 0 } };
    const [latency] = chartSpecs([{ role: 'target', report: replayReport({ timeline: points }) }]);
    expect(latency!.series[0]!.values[1]).toBeNull();
    expect(latency!.series[0]!.values[0]).not.toBeNull();
  });

  it('puts targets on one axis, named by role, with gaps where a shorter run had ended', () => {
    const primary = replayReport({ timeline: timeline(5) });
    const candidate = replayReport({ timeline: timeline(3) });
    const [latency, throughput] = chartSpecs([
      { role: 'primary', report: primary },
      { role: 'candidate', report: candidate },
    ]);
    expect(latency!.x).toEqual([0, 1, 2, 3, 4]);
    expect(latency!.series.map((s) => s.label)).toEqual(['primary p95', 'candidate p95', 'primary p50', 'candidate p50']);
    expect(throughput!.series[1]!.values.slice(3)).toEqual([null, null]);
    expect(new Set(latency!.series.slice(0, 2).map((s) => s.color)).size).toBe(2);
  });
});
