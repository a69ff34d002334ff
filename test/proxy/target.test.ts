import { describe, expect, it } from 'vitest';
import { forwardPath, parseTarget } from '../../src/proxy/target.js';

describe('parseTarget', () => {
  it('takes http(s) and ws(s) URLs, with an optional base path', () => {
    expect(parseTarget('http://127.0.0.1:3000')).toEqual({ origin: 'http://127.0.0.1:3000', wsOrigin: 'ws://127.0.0.1:3000', host: '127.0.0.1:3000', basePath: '', secure: false });
    expect(parseTarget('https://api.example.com/v2/')).toMatchObject({ origin: 'https://api.example.com', wsOrigin: 'wss://api.example.com', basePath: '/v2', secure: true });
    expect(parseTarget('ws://localhost:9').origin).toBe('http://localhost:9');
  });

  it('refuses what is not a target with a usage error', () => {
    for (const bad of ['localhost:3000', 'ftp://x', 'http://x/?q=1', 'http://user:pw@x', '']) {
      expect(() => parseTarget(bad)).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
    }
  });
});

describe('forwardPath', () => {
  const target = parseTarget('http://127.0.0.1:3000');

  it('forwards origin-form as is, behind the base path', () => {
    expect(forwardPath('/api/me?x=1', target)).toBe('/api/me?x=1');
    expect(forwardPath('/me', parseTarget('http://h/base'))).toBe('/base/me');
  });

  it('forwards absolute-form only for the target itself', () => {
    expect(forwardPath('http://127.0.0.1:3000/a?b=c', target)).toBe('/a?b=c');
    expect(forwardPath('HTTP://127.0.0.1:3000/a', target)).toBe('/a');
    expect(forwardPath('http://example.com/a', target)).toBeUndefined();
    expect(forwardPath('http://127.0.0.1:3001/a', target)).toBeUndefined();
    expect(forwardPath('http://h/a', parseTarget('http://h:80'))).toBe('/a');
  });

  it('refuses authority-form, asterisk-form and junk', () => {
    for (const t of ['example.com:443', '*', 'http://[bad', 'mailto:x@y']) expect(forwardPath(t, target)).toBeUndefined();
  });
});
