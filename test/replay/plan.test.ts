import { describe, expect, it } from 'vitest';
import { buildPlan, parseSpeed, type SessionIndexEntry } from '../../src/replay/plan.js';
import { parseProfile } from '../../src/replay/profile.js';

const us = (ms: number): number => 1_700_000_000_000_000 + ms * 1000;
const index: SessionIndexEntry[] = [
  { id: 'a', startedAt: us(0), tags: ['authenticated'] },
  { id: 'b', startedAt: us(1000), tags: ['anonymous'] },
  { id: 'c', startedAt: us(3000), tags: ['authenticated'] },
];

describe('buildPlan', () => {
  it('follows the recorded arrivals, divided by the speed', () => {
    const plan = buildPlan(index, { speed: 2 });
    expect(plan.starts.map((s) => [s.copy, s.sessionId, s.stage, s.plannedOffsetMs])).toEqual([
      [0, 'a', 0, 0],
      [1, 'b', 0, 500],
      [2, 'c', 0, 1500],
    ]);
    expect(plan.stages).toEqual([{ index: 0, spec: 'recorded' }]);
    expect(plan.tags).toEqual(['anonymous', 'authenticated']);
  });

  it('starts everything at once at --speed max', () => {
    expect(buildPlan(index, { speed: Number.POSITIVE_INFINITY }).starts.map((s) => s.plannedOffsetMs)).toEqual([0, 0, 0]);
  });

  it('spreads --multiply copies over the gap to the next session, numbering copies in start order', () => {
    const plan = buildPlan(index, { multiply: 4 });
    expect(plan.starts).toHaveLength(12);
    expect(plan.starts.filter((s) => s.sessionId === 'a').map((s) => s.plannedOffsetMs)).toEqual([0, 250, 500, 750]);
    expect(plan.starts.filter((s) => s.sessionId === 'b').map((s) => s.plannedOffsetMs)).toEqual([1000, 1500, 2000, 2500]);
    // The last session has no next one: its copies spread over the mean gap (1.5 s).
    expect(plan.starts.filter((s) => s.sessionId === 'c').map((s) => s.plannedOffsetMs)).toEqual([3000, 3375, 3750, 4125]);
    expect(plan.starts.map((s) => s.copy)).toEqual([...Array(12).keys()]);
  });

  it('spreads copies over an explicit --stagger, keeping the plan sorted by time', () => {
    const plan = buildPlan(index, { multiply: 2, staggerMs: 2400 });
    expect(plan.starts.map((s) => `${s.sessionId}@${s.plannedOffsetMs}`)).toEqual(['a@0', 'b@1000', 'a@1200', 'b@2200', 'c@3000', 'c@4200']);
  });

  it('runs profile stages one after the other, drawing sessions round-robin', () => {
    const plan = buildPlan(index, { profile: parseProfile('2/1s*3,1/500ms*2') });
    expect(plan.starts.map((s) => [s.sessionId, s.stage, s.plannedOffsetMs])).toEqual([
      ['a', 1, 0],
      ['b', 1, 0],
      ['c', 1, 1000],
      ['a', 2, 2000],
      ['b', 2, 2500],
    ]);
    expect(plan.stages.map((s) => s.spec)).toEqual(['2/1s*3', '1/500ms*2']);
    expect(plan.lastStartMs).toBe(2500);
  });

  it('draws the same random sessions for the same seed, and others for another', () => {
    const draw = (seed: number): string[] => buildPlan(index, { profile: parseProfile('1/1s*20'), pick: 'random', seed }).starts.map((s) => s.sessionId);
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(new Set(draw(7))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('refuses an empty recording and --multiply or --stagger with --profile', () => {
    expect(() => buildPlan([], {})).toThrow(/no sessions/);
    expect(() => buildPlan(index, { profile: parseProfile('1/1s*2'), multiply: 2 })).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
    expect(() => buildPlan(index, { profile: parseProfile('1/1s*2'), staggerMs: 10 })).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
    expect(() => buildPlan(index, { multiply: 0 })).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
  });
});

describe('parseSpeed', () => {
  it('takes 0.1 ... 100 and max', () => {
    expect(parseSpeed('0.1')).toBe(0.1);
    expect(parseSpeed('100')).toBe(100);
    expect(parseSpeed('max')).toBe(Number.POSITIVE_INFINITY);
    for (const bad of ['0', '0.05', '101', 'fast', '']) expect(() => parseSpeed(bad)).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
  });
});
