import { describe, expect, it } from 'vitest';
import { parseProfile, stageDurationMs, stageOffsets } from '../../src/replay/profile.js';

describe('parseProfile', () => {
  it('reads the standard ramp as numbered stages', () => {
    const stages = parseProfile('1/10s*10,1/1s*50,10/10s*100,20/10s*100,50/10s*500,100/10s*1000');
    expect(stages.map((s) => [s.index, s.burst, s.everyMs, s.total])).toEqual([
      [1, 1, 10_000, 10],
      [2, 1, 1_000, 50],
      [3, 10, 10_000, 100],
      [4, 20, 10_000, 100],
      [5, 50, 10_000, 500],
      [6, 100, 10_000, 1000],
    ]);
    expect(stages[2]!.spec).toBe('10/10s*100');
  });

  it.each(['', '1/10s', '10s*5', '0/1s*5', '1/0s*5', '1/1s*0', '1/fast*5', '1/1s*5,', 'a/1s*5'])('refuses "%s" as a usage error', (spec) => {
    expect(() => parseProfile(spec)).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
  });

  it('places bursts of K every T, the last one partial, and lasts one interval per burst', () => {
    const [stage] = parseProfile('3/100ms*7');
    expect(stageOffsets(stage!)).toEqual([0, 0, 0, 100, 100, 100, 200]);
    expect(stageDurationMs(stage!)).toBe(300);
  });
});
