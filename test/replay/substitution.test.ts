import { describe, expect, it } from 'vitest';
import type { ValueLink } from '../../src/model/session.js';
import type { Carrier } from '../../src/replay/carrier.js';
import { Substitution } from '../../src/replay/substitution.js';

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const token: ValueLink = {
  value: 'old-token-123',
  source: { seq: 1, at: { in: 'json', path: '$.token' } },
  uses: [
    { seq: 2, at: { in: 'header', name: 'authorization' } },
    { seq: 3, at: { in: 'query', name: 'token' } },
  ],
};

function me(): Carrier {
  return { side: 'request', url: '/api/me', headers: [['authorization', 'Bearer old-token-123']] };
}

describe('Substitution', () => {
  it('learns the fresh value at the source and writes it at every use', () => {
    const s = new Substitution([token]);
    expect(s.isSource(1)).toBe(true);
    expect(s.sourcesFor(2)).toEqual([1]);
    expect(s.sourcesFor(4)).toEqual([]);
    s.learn(1, { side: 'response', body: json({ token: 'old-token-123' }) }, { side: 'response', body: json({ token: 'fresh-999' }) });
    const request = me();
    s.apply(2, request);
    expect(request.headers).toEqual([['authorization', 'Bearer fresh-999']]);
    const ws: Carrier = { side: 'request', url: '/ws/chat?token=old-token-123', headers: [] };
    s.apply(3, ws);
    expect(ws.url).toBe('/ws/chat?token=fresh-999');
    expect(s.unreplaced(2, request)).toEqual([]);
  });

  it('counts a recorded value still sent (no fresh value: the login failed), but not before its source', () => {
    const s = new Substitution([token]);
    s.learn(1, undefined, { side: 'response', body: json({ error: 'nope' }) });
    const request = me();
    s.apply(2, request);
    expect(s.unreplaced(2, request)).toEqual([{ value: 'old-token-123', seq: 2, at: 'header:authorization' }]);
    const login: Carrier = { side: 'request', body: json({ note: 'old-token-123' }) };
    expect(s.unreplaced(1, login)).toEqual([]);
  });

  it('does not count a value the target issued again unchanged', () => {
    const id: ValueLink = { value: 'u_1', source: { seq: 1, at: { in: 'json', path: '$.id' } }, uses: [{ seq: 2, at: { in: 'path' } }] };
    const s = new Substitution([id]);
    s.learn(1, undefined, { side: 'response', body: json({ id: 'u_1' }) });
    const request: Carrier = { side: 'request', url: '/users/u_1', headers: [] };
    s.apply(2, request);
    expect(s.unreplaced(2, request)).toEqual([]);
  });

  it('strips what surrounded the recorded value at the source from the fresh one', () => {
    const link: ValueLink = { value: 'abc', source: { seq: 1, at: { in: 'header', name: 'location' } }, uses: [{ seq: 2, at: { in: 'query', name: 't' } }] };
    const s = new Substitution([link]);
    s.learn(1, { side: 'response', headers: [['location', '/next?t=abc&x=1']] }, { side: 'response', headers: [['location', '/next?t=xyz9&x=1']] });
    const request: Carrier = { side: 'request', url: '/next?t=abc', headers: [] };
    s.apply(2, request);
    expect(request.url).toBe('/next?t=xyz9');
  });

  it('keeps each user its own cookies: Set-Cookie from the replayed response replaces the recorded cookie', () => {
    const s = new Substitution([]);
    s.learn(1, undefined, { side: 'response', headers: [['set-cookie', 'sid=mine; Path=/']] });
    const request: Carrier = { side: 'request', url: '/', headers: [['cookie', 'sid=recorded; theme=dark']] };
    s.apply(2, request);
    expect(request.headers).toEqual([['cookie', 'sid=mine; theme=dark']]);
  });
});
