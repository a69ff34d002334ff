import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './model.js';

/**
 * Milliseconds into an HDR histogram at microsecond resolution: constant memory however many
 * samples, percentiles exact to the chosen significant digits. Coarse histograms (2 digits,
 * ~9 KB) serve the per-second timeline; the default (3 digits) serves the summaries.
 */
export class LatencyHistogram {
  private readonly histogram: hdr.Histogram;

  constructor(digits: 2 | 3 = 3) {
    this.histogram = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 2,
      numberOfSignificantValueDigits: digits,
      bitBucketSize: 32,
      autoResize: true,
    });
  }

  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentile(p: number): number {
    return this.histogram.totalCount === 0 ? 0 : round(this.histogram.getValueAtPercentile(p) / 1000);
  }

  /** Percentiles are bucket tops, so they are capped at the exact max: p99 never reads above max. */
  summary(): LatencySummary {
    const max = this.count === 0 ? 0 : round(this.histogram.maxValue / 1000);
    const at = (p: number): number => Math.min(this.percentile(p), max);
    return { count: this.count, p50: at(50), p90: at(90), p95: at(95), p99: at(99), max };
  }
}

/** Reports carry milliseconds to the microsecond, not float noise. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
