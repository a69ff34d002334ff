import { describe, expect, it } from 'vitest';
import { arrayLengthRisk, atLeast, closeRisk, kindRisk, maxRisk, statusRisk } from '../../src/diff/risk.js';

describe('risk', () => {
  it('follows the kinds: lost is high, changed is medium, added is low', () => {
    expect(['missing', 'type', 'ws-handshake', 'ws-missing-message'].map((k) => kindRisk(k as never))).toEqual(['high', 'high', 'high', 'high']);
    expect(['value', 'header', 'text', 'ws-close'].map((k) => kindRisk(k as never))).toEqual(['medium', 'medium', 'medium', 'medium']);
    expect(['extra', 'ws-extra-message'].map((k) => kindRisk(k as never))).toEqual(['low', 'low']);
  });

  it('looks at both values where the direction decides', () => {
    expect(statusRisk(200, 500)).toBe('high');
    expect(statusRisk(200, 204)).toBe('medium');
    expect(arrayLengthRisk(3, 2)).toBe('high');
    expect(arrayLengthRisk(2, 3)).toBe('low');
    expect(closeRisk(1000, 1011)).toBe('high');
    expect(closeRisk(1000, 4001)).toBe('medium');
    expect(closeRisk(1006, 1000)).toBe('medium');
  });

  it('orders levels for --fail-on', () => {
    expect(maxRisk('low', 'high')).toBe('high');
    expect(atLeast('medium', 'low')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
  });
});
