import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { SessionKeys } from '../../src/session/session-key.js';
import { jwt } from './traffic.js';

describe('SessionKeys', () => {
  it('reads each kind of key', () => {
    const keys = new SessionKeys(['cookie:sid', 'header:X-User', 'query:u', 'jwt:sub']);
    expect(keys.of('/', [['Cookie', 'a=1; sid=S']])).toEqual({ spec: 'cookie:sid', value: 'S' });
    expect(keys.of('/', [['x-user', 'H']])).toEqual({ spec: 'header:X-User', value: 'H' });
    expect(keys.of('/?u=Q', [])).toEqual({ spec: 'query:u', value: 'Q' });
    expect(keys.of('/', [['Authorization', `Bearer ${jwt({ sub: 42 })}`]])).toEqual({ spec: 'jwt:sub', value: '42' });
    expect(keys.of(`/?t=${jwt({ sub: 'q' })}`, [])).toEqual({ spec: 'jwt:sub', value: 'q' });
    expect(keys.of('/', [['Cookie', 'sid=']])).toBeUndefined();
  });

  it('takes the first spec that matches', () => {
    const keys = new SessionKeys(['header:x-a', 'header:x-b']);
    expect(keys.of('/', [['x-b', 'B'], ['x-a', 'A']])).toEqual({ spec: 'header:x-a', value: 'A' });
    expect(keys.of('/', [['x-b', 'B']])).toEqual({ spec: 'header:x-b', value: 'B' });
  });

  it('refuses bad specs with a usage error naming the grammar', () => {
    expect(() => new SessionKeys(['sid'])).toThrow(UsageError);
    expect(() => new SessionKeys(['json:$.id'])).toThrow(/cookie:NAME, header:NAME, query:NAME or jwt:CLAIM/);
  });
});
