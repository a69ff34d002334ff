import { performance } from 'node:perf_hooks';

/**
 * The one clock: monotonic milliseconds for measuring (never jumps with the wall clock), and the
 * epoch microseconds events and results are stored in, derived from the same monotonic reading.
 */
export function nowMs(): number {
  return performance.now();
}

export function epochUs(monotonicMs: number = performance.now()): number {
  return Math.round((performance.timeOrigin + monotonicMs) * 1000);
}
