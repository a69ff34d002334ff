import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../report/latency.js';
import { epochUs, nowMs } from '../model/clock.js';
import type { PlannedStart } from './plan.js';

export interface StartTiming {
  /** Epoch µs. */
  plannedAt: number;
  actualAt: number;
  lagMs: number;
}

export interface ScheduleOptions {
  /** A start later than this is not run and counted as missed; default: no limit. */
  maxLagMs?: number;
  signal?: AbortSignal;
  /** Called synchronously at the start's moment; it must only kick work off, never wait for it. */
  onStart: (start: PlannedStart, timing: StartTiming) => void;
  onMissed?: (start: PlannedStart, timing: StartTiming) => void;
}

export interface ScheduleOutcome {
  started: number;
  missed: number;
  lag: LatencyHistogram;
  /** Monotonic ms the schedule's offsets count from. */
  originMs: number;
}

/**
 * The open model: starts follow the clock, never completions, so a slow target cannot slow the
 * arrivals. A start the process could not make on time is measured (lag = actual - planned);
 * past --max-lag it is counted as missed and not run, since running it late would shift the
 * arrival pattern the user asked for without saying so.
 */
export async function runSchedule(starts: readonly PlannedStart[], options: ScheduleOptions): Promise<ScheduleOutcome> {
  const maxLag = options.maxLagMs ?? Number.POSITIVE_INFINITY;
  const lag = new LatencyHistogram();
  const originMs = nowMs();
  let started = 0;
  let missed = 0;
  let i = 0;
  while (i < starts.length && !options.signal?.aborted) {
    const dueMs = originMs + starts[i]!.plannedOffsetMs;
    const wait = dueMs - nowMs();
    if (wait > 0) {
      try {
        await sleep(wait, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch {
        break; // aborted
      }
    }
    // Everything due by now goes out in this turn, so a burst is one burst.
    while (i < starts.length && originMs + starts[i]!.plannedOffsetMs <= nowMs()) {
      const start = starts[i++]!;
      const now = nowMs();
      const plannedMs = originMs + start.plannedOffsetMs;
      const timing: StartTiming = { plannedAt: epochUs(plannedMs), actualAt: epochUs(now), lagMs: now - plannedMs };
      lag.record(timing.lagMs);
      if (timing.lagMs > maxLag) {
        missed++;
        options.onMissed?.(start, timing);
      } else {
        started++;
        options.onStart(start, timing);
      }
    }
  }
  return { started, missed, lag, originMs };
}
