import { describe, expect, it } from 'vitest';
import { cookiePairs, rewriteCookieHeader, rewriteSetCookie, setCookiePair } from '../../src/session/cookies.js';

describe('cookies', () => {
  it('reads Cookie and Set-Cookie pairs', () => {
    expect(cookiePairs('a=1; sid="x y"; flag; b=')).toEqual([['a', '1'], ['sid', 'x y'], ['b', '']]);
    expect(setCookiePair('sid=abc; Path=/; HttpOnly')).toEqual(['sid', 'abc']);
    expect(setCookiePair('garbage')).toBeUndefined();
  });

  it('rewrites chosen values and keeps every other byte', () => {
    const pick = (n: string): string | undefined => (n === 'sid' ? 'X' : undefined);
    expect(rewriteCookieHeader('a=1;sid=abc;  b=2', pick)).toBe('a=1;sid=X;  b=2');
    expect(rewriteSetCookie('sid=abc; Path=/; Max-Age=10', pick)).toBe('sid=X; Path=/; Max-Age=10');
    expect(rewriteSetCookie('other=abc', pick)).toBe('other=abc');
  });
});
