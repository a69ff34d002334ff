import { describe, expect, it } from 'vitest';
import { diffText } from '../../src/diff/text-diff.js';
import { brief, collect } from './collect.js';

const diff = (a: string, b: string) => collect((emit) => diffText(a, b, 'body', emit));

describe('diffText', () => {
  it('finds nothing in equal texts', () => {
    expect(diff('a\nb', 'a\nb')).toEqual([]);
  });

  it('reports the differing block of lines between the common head and tail', () => {
    const [d] = diff('<html>\n<p>one</p>\n<p>two</p>\n</html>', '<html>\n<p>uno</p>\n<p>two</p>\n</html>');
    expect(d).toMatchObject({ path: 'body', concretePath: 'body (line 2)', kind: 'text', risk: 'medium', primary: '<p>one</p>', candidate: '<p>uno</p>' });
  });

  it('shows an inserted line against nothing, and cuts long blocks', () => {
    expect(diff('a\nc', 'a\nb\nc')[0]).toMatchObject({ primary: '', candidate: 'b' });
    const many = Array.from({ length: 9 }, (_, i) => `line ${i}`).join('\n');
    expect(diff('x', `y\n${many}`)[0]!.candidate).toBe('y\nline 0\nline 1\nline 2\nline 3\n… 5 more lines');
  });

  it('treats a one-line text as a value, so a bare token is recognised by its shape', () => {
    expect(brief(diff('3f2b8c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d'))).toEqual(['body text medium ~uuid']);
    expect(brief(diff('ok', 'fine'))).toEqual(['body text medium']);
  });
});
