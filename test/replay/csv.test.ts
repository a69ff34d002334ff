import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/replay/csv.js';

describe('parseCsv', () => {
  it('handles quotes, CRLF and blank lines', () => {
    expect(parseCsv('a,b\r\n"x\ny",""""\r\n\r\nlast,\n', 'f')).toEqual([
      ['a', 'b'],
      ['x\ny', '"'],
      ['last', ''],
    ]);
    expect(() => parseCsv('"open', 'f')).toThrow(/unclosed/);
  });
});
