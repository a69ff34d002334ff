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

/**
 * Resolves at monotonic `atMs` (at once if that has passed); false when aborted first. Timers
 * run on the event loop's cached clock and may fire a fraction of a millisecond early, so the
 * wait is re-armed until the moment has really come: think time is never shortened.
 */
export function sleepUntil(atMs: number, signal?: AbortSignal): Promise<boolean> | boolean {
  if (signal?.aborted) return false;
  if (atMs <= performance.now()) return true;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout;
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => done(false);
    const arm = (): void => {
      const wait = atMs - performance.now();
      if (wait <= 0) done(true);
      else timer = setTimeout(arm, wait);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
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
