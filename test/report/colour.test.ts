import { describe, expect, it } from 'vitest';
import { colourEnabled, palette } from '../../src/report/colour.js';

describe('colourEnabled', () => {
  it('colours a TTY only, and never with NO_COLOR set or a dumb terminal', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('palette', () => {
  it('wraps text in SGR codes only when enabled', () => {
    expect(palette(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(palette(false).red('x')).toBe('x');
  });
});
