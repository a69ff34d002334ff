import { describe, expect, it } from 'vitest';
import type { PlannedStart } from '../../src/replay/plan.js';
import { runSchedule, type StartTiming } from '../../src/replay/scheduler.js';

const starts = (offsets: number[]): PlannedStart[] => offsets.map((plannedOffsetMs, copy) => ({ copy, sessionId: `s${copy}`, stage: 0, plannedOffsetMs }));

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // holding the event loop on purpose: the next start cannot be on time
  }
}

describe('runSchedule', () => {
  it('starts each planned start at or after its time, in order, measuring the lag', async () => {
    const seen: { start: PlannedStart; timing: StartTiming }[] = [];
    const outcome = await runSchedule(starts([0, 5, 5, 20, 40]), { onStart: (start, timing) => seen.push({ start, timing }) });
    expect(seen.map((s) => s.start.copy)).toEqual([0, 1, 2, 3, 4]);
    for (const { start, timing } of seen) {
      expect(timing.actualAt).toBeGreaterThanOrEqual(timing.plannedAt);
      expect(timing.lagMs).toBeGreaterThanOrEqual(0);
      expect(timing.plannedAt - seen[0]!.timing.plannedAt).toBeCloseTo(start.plannedOffsetMs * 1000, -1);
    }
    expect(outcome).toMatchObject({ started: 5, missed: 0 });
    expect(outcome.lag.count).toBe(5);
  });

  it('counts a start later than --max-lag as missed and does not run it', async () => {
    const ran: number[] = [];
    const missed: number[] = [];
    const outcome = await runSchedule(starts([0, 10, 200]), {
      maxLagMs: 20,
      onStart: (start) => {
        ran.push(start.copy);
        if (start.copy === 0) busy(60);
      },
      onMissed: (start, timing) => {
        missed.push(start.copy);
        expect(timing.lagMs).toBeGreaterThan(20);
      },
    });
    expect(ran).toEqual([0, 2]);
    expect(missed).toEqual([1]);
    expect(outcome).toMatchObject({ started: 2, missed: 1 });
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const ran: number[] = [];
    const outcome = await runSchedule(starts([0, 10_000]), {
      signal: abort.signal,
      onStart: (start) => {
        ran.push(start.copy);
        abort.abort();
      },
    });
    expect(ran).toEqual([0]);
    expect(outcome.started).toBe(1);
  });
});
