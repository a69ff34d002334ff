import { describe, expect, it } from 'vitest';
import { epochUs, nowMs } from '../../src/model/clock.js';
import { Sleeper, within } from '../../src/replay/clock.js';

describe('clock', () => {
  it('a sleeper never wakes before the moment', async () => {
    const sleeper = new Sleeper();
    for (let i = 0; i < 20; i++) {
      const at = nowMs() + 3.7;
      expect(await sleeper.until(at)).toBe(true);
      expect(nowMs()).toBeGreaterThanOrEqual(at);
    }
    expect(sleeper.until(nowMs() - 1)).toBe(true);
  });

  it('a stopped sleeper ends the wait in progress and every later one', async () => {
    const sleeper = new Sleeper();
    const waiting = sleeper.until(nowMs() + 60_000);
    sleeper.stop();
    expect(await waiting).toBe(false);
    expect(sleeper.until(nowMs() + 10)).toBe(false);
  });

  it('within tells whether a promise settled in time', async () => {
    expect(await within(Promise.resolve(), 1000)).toBe(true);
    expect(await within(new Promise(() => undefined), 5)).toBe(false);
  });

  it('epochUs follows the wall clock at microsecond scale', () => {
    expect(Math.abs(epochUs() / 1000 - Date.now())).toBeLessThan(1000);
  });
});
