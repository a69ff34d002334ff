import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodedBytes, encodedLike, httpContent, messageContent } from '../../src/session/body.js';
import { body } from './traffic.js';

describe('body content', () => {
  it('reads JSON, form and text bodies by media type or first character', () => {
    expect(httpContent([['Content-Type', 'application/json']], body('{"a":1}'), 1024)).toEqual({ kind: 'json', value: { a: 1 } });
    expect(httpContent([], body('[1]'), 1024)).toEqual({ kind: 'json', value: [1] });
    expect(httpContent([['content-type', 'application/x-www-form-urlencoded']], body('a=1'), 1024)).toEqual({ kind: 'form', fields: [['a', '1']] });
    expect(httpContent([['content-type', 'text/plain']], body('tok'), 1024)).toEqual({ kind: 'text', text: 'tok' });
    expect(httpContent([['content-type', 'image/png']], body('x'), 1024)).toBeUndefined();
    expect(httpContent([], { ...body('{"a":'), truncated: true }, 1024)).toBeUndefined();
  });

  it('undoes gzip and br, within the limit, and encodes back alike', () => {
    const json = Buffer.from('{"token":"abc"}');
    expect(decodedBytes([['Content-Encoding', 'gzip']], gzipSync(json))).toEqual(json);
    expect(decodedBytes([['Content-Encoding', 'br']], brotliCompressSync(json))).toEqual(json);
    expect(decodedBytes([['Content-Encoding', 'gzip']], gzipSync(json), 4)).toBeUndefined();
    expect(decodedBytes([['Content-Encoding', 'zstd']], json)).toBeUndefined();
    const gz = [['Content-Encoding', 'gzip']] as [string, string][];
    expect(decodedBytes(gz, encodedLike(gz, json))).toEqual(json);
  });

  it('reads text messages only, within the limit', () => {
    expect(messageContent('text', body('{"t":1}'), 100)).toEqual({ kind: 'json', value: { t: 1 } });
    expect(messageContent('text', body('hello'), 100)).toEqual({ kind: 'text', text: 'hello' });
    expect(messageContent('binary', body('{"t":1}'), 100)).toBeUndefined();
    expect(messageContent('text', body('{"t":1}'), 3)).toBeUndefined();
  });
});
