import { performance } from 'node:perf_hooks';

/**
 * Monotonic milliseconds for measuring (never jumps with the wall clock), and the epoch
 * microseconds results are stored in, derived from the same monotonic reading.
 */
export function nowMs(): number {
  return performance.now();
}

export function epochUs(monotonicMs: number = performance.now()): number {
  return Math.round((performance.timeOrigin + monotonicMs) * 1000);
}

/** Resolves at monotonic `atMs` (at once if that has passed); false when aborted first. */
export function sleepUntil(atMs: number, signal?: AbortSignal): Promise<boolean> | boolean {
  const wait = atMs - performance.now();
  if (signal?.aborted) return false;
  if (wait <= 0) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), wait);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise` at most `ms`; true when it settled in time. The timer never outlives it. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
