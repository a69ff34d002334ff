import type { ReplayReport } from '../../../src/report/model.js';
import { latency, replayReport } from '../fixtures.js';

/** A report far past every service limit: many routes, long reasons, many tags. */
export function hugeReport(): ReplayReport {
  const base = replayReport();
  const long = 'x'.repeat(3000);
  return {
    ...base,
    recording: `r-${'n'.repeat(400)}`,
    byTag: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`tag-${i}-${long.slice(0, 40)}`, base.byTag.authenticated!])),
    thresholds: Array.from({ length: 40 }, (_, i) => ({ expr: `p95{tag:tag-${i}}<${i}`, ok: false, value: 1000 })),
    failures: Array.from({ length: 50 }, (_, i) => ({ reason: `${i} ${long}`, count: i })),
    endpoints: Array.from({ length: 80 }, (_, i) => ({ endpoint: `GET /r/${i}`, requests: 1, failed: 0, successRate: 1, latencyMs: latency(1) })),
  };
}
