import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/report/latency.js';

describe('LatencyHistogram', () => {
  it('gives percentiles in ms to three significant digits, never above the max', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 1);
    expect(s.p99).toBeLessThanOrEqual(s.max);
  });

  it('merges, and reads zero when empty', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(1);
    b.record(3);
    a.add(b);
    expect(a.summary()).toMatchObject({ count: 2, max: 3 });
    expect(new LatencyHistogram().summary()).toEqual({ count: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
  });
});
