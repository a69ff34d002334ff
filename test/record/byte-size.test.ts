import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../src/record/byte-size.js';

describe('parseByteSize', () => {
  it('reads plain bytes and 1024-based units', () => {
    expect(parseByteSize('1048576', '--max-body')).toBe(1048576);
    expect(parseByteSize('64k', '--max-body')).toBe(65536);
    expect(parseByteSize('1MiB', '--max-body')).toBe(1048576);
    expect(parseByteSize('1.5 MB', '--max-body')).toBe(1572864);
    expect(parseByteSize('0', '--max-body')).toBe(0);
  });

  it('refuses anything else with the flag named', () => {
    for (const bad of ['', '-1', 'lots', '12 parsecs']) {
      expect(() => parseByteSize(bad, '--max-body')).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE', message: expect.stringContaining('--max-body') }));
    }
  });
});
