import { describe, expect, it } from 'vitest';
import { StepClock } from '../../src/replay/step-clock.js';

describe('StepClock', () => {
  it('anchors a step on the latest one that ended before it started, once that one is done', async () => {
    const clock = new StepClock(1000, 5);
    expect(await clock.anchorFor(1500)).toEqual({ recordedEnd: 1000, atMs: 5 });
    let finish!: (ms: number) => void;
    clock.add(2000, new Promise((resolve) => (finish = resolve)));
    clock.add(2600, Promise.resolve(40));
    // Started while both were running: waits for neither.
    expect(await clock.anchorFor(1900)).toEqual({ recordedEnd: 1000, atMs: 5 });
    const waiting = clock.anchorFor(3000);
    expect(waiting).toBeInstanceOf(Promise);
    let settled = false;
    void (waiting as Promise<unknown>).then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    finish(70);
    expect(await waiting).toEqual({ recordedEnd: 2600, atMs: 40 });
  });

  it('settles once every step is done', async () => {
    const clock = new StepClock(0, 0);
    let done = false;
    clock.add(10, new Promise((resolve) => setImmediate(() => resolve(1))).then((v) => ((done = true), v as number)));
    await clock.settled();
    expect(done).toBe(true);
  });
});
