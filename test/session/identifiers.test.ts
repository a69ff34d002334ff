import { describe, expect, it } from 'vitest';
import { isCredentialName, isIdentifierLike, isPasswordName, jwtClaims, mayHoldIdentifier, numberAsIdentifier } from '../../src/session/identifiers.js';
import { jwt } from './traffic.js';

describe('identifiers', () => {
  it('takes tokens and ids, not words, flags, short values, URLs or paths', () => {
    for (const v of ['5f0c9e2ab7d14c38a6e1f2b3c4d5e6f7', 'u_1a2b3c4d5e6f', '123e4567-e89b-12d3-a456-426614174000', '98765432', 'AbCdEfGhIjKlMn', jwt({ sub: 'a' })]) {
      expect(isIdentifierLike(v), v).toBe(true);
    }
    for (const v of ['ok', 'true', 'general', 'alice@example.com', 'password', 'aaaaaaaa1', 'https://cdn.test/a1.png', '/api/v1/items', 'two words 123', 'AbCdEfGh']) {
      expect(isIdentifierLike(v), v).toBe(false);
    }
  });

  it('vets JSON text: what holds an id-like leaf always passes, small flags and words do not', () => {
    const holding = [
      { token: '5f0c9e2ab7d14c38' },
      { user: { id: 1_234_567 } },
      { n: -100_000 },
      [JSON.parse('1e7')],
      { quoted: '1"a"2"b"3' },
      { escaped: '\u00e9t\u00e9-12345' },
    ];
    for (const v of holding) expect(mayHoldIdentifier(JSON.stringify(v)), JSON.stringify(v)).toBe(true);
    expect(mayHoldIdentifier('{"n":1e7}')).toBe(true);
    expect(mayHoldIdentifier('{"a":"x\\"}')).toBe(true);
    for (const v of [{ id: 42, name: 'ada', roles: ['user'], ok: true }, { ok: true }, [1, 2, 3], { count: 99_999 }]) {
      expect(mayHoldIdentifier(JSON.stringify(v)), JSON.stringify(v)).toBe(false);
    }
  });

  it('takes large integers as ids, not counts', () => {
    expect(numberAsIdentifier(1_234_567)).toBe('1234567');
    expect(numberAsIdentifier(42)).toBeUndefined();
    expect(numberAsIdentifier(1.5e6 + 0.5)).toBeUndefined();
  });

  it('recognises credential and password names', () => {
    for (const n of ['token', 'access_token', 'x-auth-token', 'PHPSESSID', 'connect.sid', 'sid', 'jwt', 'x-api-key', 'apikey']) expect(isCredentialName(n), n).toBe(true);
    for (const n of ['sec-websocket-key', 'theme', 'lang', 'x-request-id', 'consider', 'csrftoken', 'X-XSRF-TOKEN']) expect(isCredentialName(n), n).toBe(false);
    for (const n of ['password', 'newPassword', 'client_secret', 'pwd', 'otp', 'passwd']) expect(isPasswordName(n), n).toBe(true);
    for (const n of ['compass', 'username', 'passenger']) expect(isPasswordName(n), n).toBe(false);
  });

  it('reads JWT claims without verifying, and refuses what is not one', () => {
    expect(jwtClaims(jwt({ sub: 'alice', n: 1 }))).toEqual({ sub: 'alice', n: 1 });
    expect(jwtClaims('a.b.c')).toBeUndefined();
    expect(jwtClaims(`abcd.${Buffer.from('not json').toString('base64url')}.sig`)).toBeUndefined();
  });
});
