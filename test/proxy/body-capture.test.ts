import { describe, expect, it } from 'vitest';
import { BodyCapture } from '../../src/proxy/body-capture.js';

describe('BodyCapture', () => {
  it('keeps the first bytes up to the limit, counts them all, and flags the cut', () => {
    const capture = new BodyCapture(5);
    for (const part of ['abc', 'def', 'ghi']) capture.add(Buffer.from(part));
    const body = capture.body();
    expect([Buffer.from(body.bytes).toString(), body.size, body.truncated]).toEqual(['abcde', 9, true]);
  });

  it('gives a copy that does not share the source buffers', () => {
    const source = Buffer.from('hello');
    const capture = new BodyCapture(100);
    capture.add(source);
    const body = capture.body();
    source.fill(0);
    expect([Buffer.from(body.bytes).toString(), body.truncated]).toEqual(['hello', false]);
  });

  it('with a limit of 0 keeps nothing but still counts', () => {
    const capture = new BodyCapture(0);
    capture.add(Buffer.from('xyz'));
    expect(capture.body()).toMatchObject({ size: 3, truncated: true, bytes: new Uint8Array(0) });
  });
});
