import { describe, expect, it } from 'vitest';
import { closesBefore, countItems, keysOf, MALFORMED, parseSpan, skipString, skipValue, tokenEnd } from '../../src/diff/json-scan.js';

const b = (text: string) => Buffer.from(text);

describe('json-scan', () => {
  it('finds where strings, tokens and whole values end, escapes and nesting included', () => {
    expect(skipString(b('"a\\"b" x'), 0)).toBe(6);
    expect(skipString(b('"a\\\\" x'), 0)).toBe(5);
    expect(tokenEnd(b('123,'), 0, 0x31)).toBe(3);
    expect(skipValue(b('{"a":["]",{"b":1}]} tail'), 0)).toBe(19);
    expect(skipValue(b('true]'), 0)).toBe(4);
  });

  it('tells whether a container closes before a limit', () => {
    const text = b('[{"a":1},{"b":2}]');
    expect(closesBefore(text, 1, 9)).toBe(8);
    expect(closesBefore(text, 1, 7)).toBe(-1);
  });

  it('counts array elements and reads the first keys of an object', () => {
    expect(countItems(b('[1, [2, 3], {"x": 4} ]'), 1)).toEqual([3, 21]);
    expect(countItems(b('[ ]'), 1)).toEqual([0, 2]);
    expect(keysOf(b('{ "a": 1, "b\\u0021": [2], "c": 3}'), 0, 2)).toEqual(['a', 'b!']);
  });

  it('parses spans, plain strings without JSON.parse, and throws the shared signal on bad JSON', () => {
    expect(parseSpan(b('"héllo"'), 0, 8)).toBe('héllo');
    expect(parseSpan(b('"tab\\t"'), 0, 7)).toBe('tab\t');
    expect(parseSpan(b('{"a":[1]}'), 0, 9)).toEqual({ a: [1] });
    expect(() => parseSpan(b('{"a":'), 0, 5)).toThrow(MALFORMED);
    expect(() => skipString(b('"open'), 0)).toThrow(MALFORMED);
    expect(() => skipValue(b('[1, 2'), 0)).toThrow(MALFORMED);
  });
});
