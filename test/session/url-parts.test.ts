import { describe, expect, it } from 'vitest';
import { formPairs, pathSegments, queryPairs, rewriteQuery } from '../../src/session/url-parts.js';

describe('url parts', () => {
  it('reads query parameters and path segments, decoded, in origin and absolute form', () => {
    expect(queryPairs('/a?x=1&y=a%20b&z=c+d&flag#frag')).toEqual([['x', '1'], ['y', 'a b'], ['z', 'c d'], ['flag', '']]);
    expect(queryPairs('/a')).toEqual([]);
    expect(pathSegments('/orders/98%2F76/items/')).toEqual(['orders', '98/76', 'items']);
    expect(pathSegments('http://app.test:8080/ws/chat?token=x')).toEqual(['ws', 'chat']);
    expect(formPairs('username=a&password=p%26q')).toEqual([['username', 'a'], ['password', 'p&q']]);
  });

  it('rewrites chosen parameters only', () => {
    const pick = (n: string): string | undefined => (n === 'token' ? 'X' : undefined);
    expect(rewriteQuery('/ws?a=%41&token=abc&token&b=2#f', pick)).toBe('/ws?a=%41&token=X&token=X&b=2#f');
    expect(rewriteQuery('/ws#token=abc', pick)).toBe('/ws#token=abc');
  });
});
