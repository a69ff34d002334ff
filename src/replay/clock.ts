import { performance } from 'node:perf_hooks';

/**
 * Waits until monotonic moments, one at a time, until stopped; stopping ends the wait in
 * progress and every later one at once. Timers run on the event loop's cached clock and may
 * fire a fraction of a millisecond early, so a wait is re-armed until its moment has really
 * come: think time is never shortened. One sleeper per lane or user, no listener per wait.
 */
export class Sleeper {
  private timer: NodeJS.Timeout | undefined;
  private wake: ((ok: boolean) => void) | undefined;
  private stopped = false;

  /** True at once when the moment has passed, false when stopped, else a promise of either. */
  until(atMs: number): boolean | Promise<boolean> {
    if (this.stopped) return false;
    if (atMs <= performance.now()) return true;
    return new Promise((resolve) => {
      this.wake = resolve;
      this.arm(atMs);
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.settle(false);
  }

  private arm(atMs: number): void {
    const wait = atMs - performance.now();
    if (wait <= 0) this.settle(true);
    else this.timer = setTimeout(() => this.arm(atMs), wait);
  }

  private settle(ok: boolean): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.(ok);
  }
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
