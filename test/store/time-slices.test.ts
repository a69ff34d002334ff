import { describe, expect, it } from 'vitest';
import { TimeSlices, type Step } from '../../src/store/time-slices.js';

/** Resolves after the slice due this turn: the slices' setImmediate was queued first. */
const afterSlice = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A job of `n` steps, each of which moves the fake clock on by 1 ms. */
function job(n: number, clock: { t: number }, log: string[], name: string): Step & { left: () => number } {
  let left = n;
  const step = (): boolean => {
    clock.t += 1;
    log.push(name);
    return --left > 0;
  };
  return Object.assign(step, { left: () => left });
}

describe('TimeSlices', () => {
  const budget = { minMs: 2, maxMs: 10, share: 0.5 };

  it('runs jobs off the caller’s turn, taking turns step by step', async () => {
    const clock = { t: 0 };
    const slices = new TimeSlices({ minMs: 100, maxMs: 100, share: 0 }, () => clock.t);
    const log: string[] = [];
    slices.run(job(3, clock, log, 'a'));
    slices.run(job(1, clock, log, 'b'));
    expect(log).toEqual([]);
    await afterSlice();
    expect(log).toEqual(['a', 'b', 'a', 'a']);
  });

  it('takes a job handed over by a step, also when the same slice finishes it', async () => {
    const slices = new TimeSlices({ minMs: 100, maxMs: 100, share: 0 }, () => 0);
    const log: string[] = [];
    slices.run(() => {
      slices.run(() => {
        log.push('inner');
        return false;
      });
      log.push('outer');
      return false;
    });
    await afterSlice();
    expect(log).toEqual(['outer', 'inner']);
    await afterSlice(); // the slice scheduled for the inner job, with nothing left to do
    expect(log).toEqual(['outer', 'inner']);
  });

  it('gives the event loop back after minMs when it starts fresh, and after at least one step', async () => {
    const clock = { t: 0 };
    const slices = new TimeSlices(budget, () => clock.t);
    const log: string[] = [];
    const long = job(100, clock, log, 'a');
    slices.run(long);
    await afterSlice();
    expect(100 - long.left()).toBe(2);

    const zero = new TimeSlices({ minMs: 0, maxMs: 0, share: 0 }, () => clock.t);
    const one = job(5, clock, log, 'z');
    zero.run(one);
    await afterSlice();
    expect(one.left()).toBe(4);
  });

  it('earns a share of the time the rest of the process had while work was left over, up to maxMs', async () => {
    const clock = { t: 0 };
    const slices = new TimeSlices(budget, () => clock.t);
    const long = job(100, clock, [], 'a');
    slices.run(long);
    const done: number[] = [];
    let before = 100;
    for (const othersMs of [10, 100, 0]) {
      await afterSlice();
      done.push(before - long.left());
      before = long.left();
      clock.t += othersMs; // traffic's turn
    }
    await afterSlice();
    done.push(before - long.left());
    // Fresh: minMs; after 10 ms of others: 5; after 100: capped at maxMs; after none: minMs again.
    expect(done).toEqual([2, 5, 10, 2]);
  });

  it('starts fresh again once it has caught up', async () => {
    const clock = { t: 0 };
    const slices = new TimeSlices(budget, () => clock.t);
    const first = job(3, clock, [], 'a');
    slices.run(first);
    await afterSlice();
    clock.t += 100;
    await afterSlice();
    expect(first.left()).toBe(0);
    clock.t += 100;
    const second = job(100, clock, [], 'b');
    slices.run(second);
    await afterSlice();
    expect(100 - second.left()).toBe(2);
  });
});
