import { describe, expect, it } from 'vitest';
import { elapsed, grade, percent, thresholdValue } from '../../src/report/figures.js';

describe('figures', () => {
  it('writes rates with a second decimal near 100%', () => {
    expect(percent(0.9731)).toBe('97.3%');
    expect(percent(0.9995)).toBe('99.95%');
    expect(percent(1)).toBe('100%');
    expect(percent(Number.NaN)).toBe('–');
  });

  it('reads a threshold value by its metric, with or without a target in front', () => {
    expect(thresholdValue('success_rate>=0.99', 0.97)).toBe('97%');
    expect(thresholdValue('candidate: p95{tag:authenticated}<500', 547.3)).toBe('547.3ms');
    expect(thresholdValue('missed_starts==0', 1200)).toBe('1,200');
    expect(thresholdValue('p99<1', null)).toBe('no data');
  });

  it('grades rates and writes run lengths', () => {
    expect([grade(0.999), grade(0.95), grade(0.5)]).toEqual(['good', 'warn', 'bad']);
    expect(elapsed(48_200)).toBe('48.2s');
    expect(elapsed(185_000)).toBe('3m 05s');
  });
});
