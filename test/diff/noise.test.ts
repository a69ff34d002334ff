import { describe, expect, it } from 'vitest';
import { DEFAULT_MARGINS, isSignificant, parsePercent } from '../../src/diff/noise.js';

describe('isSignificant', () => {
  it('reports a field that differs against the candidate and never between primaries', () => {
    expect(isSignificant(1, 0, 100, DEFAULT_MARGINS)).toBe(true);
  });

  it('dismisses a field that differs as often between primaries', () => {
    expect(isSignificant(100, 100, 100, DEFAULT_MARGINS)).toBe(false);
    expect(isSignificant(90, 100, 100, DEFAULT_MARGINS)).toBe(false);
  });

  it('needs the relative margin: (raw - noise) / (raw + noise) above 20%', () => {
    expect(isSignificant(15, 10, 100, DEFAULT_MARGINS)).toBe(false); // 5/25 = 20%, not above
    expect(isSignificant(16, 10, 100, DEFAULT_MARGINS)).toBe(true); // 6/26 = 23%
  });

  it('needs the absolute margin: (raw - noise) / requests above 0.03%', () => {
    expect(isSignificant(3, 0, 10_000, DEFAULT_MARGINS)).toBe(false); // 0.03%, not above
    expect(isSignificant(4, 0, 10_000, DEFAULT_MARGINS)).toBe(true);
  });
});

describe('parsePercent', () => {
  it('reads percentages with or without the sign', () => {
    expect(parsePercent('20', '--noise-relative')).toBeCloseTo(0.2);
    expect(parsePercent('0.03%', '--noise-absolute')).toBeCloseTo(0.0003);
  });

  it('refuses what is not a percentage', () => {
    expect(() => parsePercent('abc', '--noise-relative')).toThrow(/bad --noise-relative "abc"/);
    expect(() => parsePercent('120', '--noise-relative')).toThrow(/from 0 to 100/);
  });
});
