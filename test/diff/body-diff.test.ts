import { describe, expect, it } from 'vitest';
import { diffBodySources } from '../../src/diff/body-diff.js';
import { parseBody } from '../../src/diff/body-model.js';
import { brief, collect } from './collect.js';

const source = (text: string | Uint8Array, binary = false) => ({ bytes: typeof text === 'string' ? Buffer.from(text) : text, binary });
const diff = (a: ReturnType<typeof source>, b: ReturnType<typeof source>) => collect((emit) => diffBodySources(a, b, 'body', emit));

describe('parseBody', () => {
  it('tells empty, JSON, text and binary apart by content', () => {
    expect(parseBody(new Uint8Array(0))).toEqual({ kind: 'empty' });
    expect(parseBody(Buffer.from(' {"a":1}'))).toEqual({ kind: 'json', value: { a: 1 } });
    expect(parseBody(Buffer.from('{"a":'))).toEqual({ kind: 'text', text: '{"a":' });
    expect(parseBody(Buffer.from('42'))).toEqual({ kind: 'text', text: '42' });
    expect(parseBody(Buffer.from([0xff, 0xfe, 0x00]))).toMatchObject({ kind: 'binary', size: 3 });
    expect(parseBody(Buffer.from('{}'), true)).toMatchObject({ kind: 'binary', size: 2 });
  });
});

describe('diffBodySources', () => {
  it('compares JSON structurally, text by lines and binary by length and hash', () => {
    expect(brief(diff(source('{"a":1,"b":2}'), source('{"b":2,"a":3}')))).toEqual(['body.a value medium']);
    expect(brief(diff(source('a\nb'), source('a\nc')))).toEqual(['body text medium']);
    expect(brief(diff(source(Buffer.from([1, 2, 3]), true), source(Buffer.from([1, 2, 4]), true)))).toEqual(['body binary medium']);
    expect(diff(source(Buffer.from([1, 2]), true), source(Buffer.from([1, 2]), true))).toEqual([]);
  });

  it('reports a JSON body against an HTML error page as a type difference at the top', () => {
    const [d] = diff(source('{"ok":true}'), source('<html>Internal Server Error</html>'));
    expect(d).toMatchObject({ path: 'body', kind: 'type', risk: 'high', primary: 'json {"ok":true}', candidate: 'text <html>Internal Server Error</html>' });
  });

  it('falls back to parsing when JSON-looking text is not JSON', () => {
    expect(brief(diff(source('{not json'), source('{not json either')))).toEqual(['body text medium']);
  });
});
