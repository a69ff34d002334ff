import { describe, expect, it } from 'vitest';
import { epochUs, nowMs, sleepUntil, within } from '../../src/replay/clock.js';

describe('clock', () => {
  it('sleepUntil never resolves before the moment', async () => {
    for (let i = 0; i < 20; i++) {
      const at = nowMs() + 3.7;
      expect(await sleepUntil(at)).toBe(true);
      expect(nowMs()).toBeGreaterThanOrEqual(at);
    }
    expect(sleepUntil(nowMs() - 1)).toBe(true);
  });

  it('sleepUntil stops at an abort', async () => {
    const abort = new AbortController();
    const waiting = sleepUntil(nowMs() + 60_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
    expect(sleepUntil(nowMs() + 10, abort.signal)).toBe(false);
  });

  it('within tells whether a promise settled in time', async () => {
    expect(await within(Promise.resolve(), 1000)).toBe(true);
    expect(await within(new Promise(() => undefined), 5)).toBe(false);
  });

  it('epochUs follows the wall clock at microsecond scale', () => {
    expect(Math.abs(epochUs() / 1000 - Date.now())).toBeLessThan(1000);
  });
});
