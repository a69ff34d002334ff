import { describe, expect, it } from 'vitest';
import { cookiesOf, findVerbatim, readAt, replaceAt, rewriteAt, type Carrier } from '../../src/replay/carrier.js';
import { parseLocation, type Location } from '../../src/model/location.js';

const loc = (spec: string): Location => parseLocation(spec)!;
const text = (c: Carrier): string => Buffer.from(c.body!).toString();

function request(): Carrier {
  return {
    side: 'request',
    url: '/ws/chat?room=a%20b&token=tok123&x=1',
    headers: [
      ['Authorization', 'Bearer tok123'],
      ['Cookie', 'sid=s1; theme=dark'],
    ],
    body: Buffer.from('{"user": {"name": "alice"}, "token": "tok123", "n": 4}'),
  };
}

describe('carrier locations', () => {
  it('reads headers, cookies, query, path, JSON fields and the body', () => {
    const c = request();
    expect(readAt(c, loc('header:authorization'))).toBe('Bearer tok123');
    expect(readAt(c, loc('cookie:theme'))).toBe('dark');
    expect(readAt(c, loc('query:room'))).toBe('a b');
    expect(readAt(c, loc('path'))).toBe('/ws/chat');
    expect(readAt(c, loc('json:$.user.name'))).toBe('alice');
    expect(readAt(c, loc('json:$.n'))).toBe('4');
    expect(readAt(c, loc('json:$.missing'))).toBeUndefined();
    expect(readAt(c, loc('header:x-none'))).toBeUndefined();
  });

  it('replaces a value as a substring at each location, keeping the rest of the bytes', () => {
    const c = request();
    expect(replaceAt(c, loc('header:authorization'), 'tok123', 'NEW')).toBe(true);
    expect(replaceAt(c, loc('query:token'), 'tok123', 'N E/W')).toBe(true);
    expect(replaceAt(c, loc('json:$.token'), 'tok123', 'NEW"1')).toBe(true);
    expect(replaceAt(c, loc('cookie:sid'), 's1', 's2')).toBe(true);
    expect(c.headers).toEqual([
      ['Authorization', 'Bearer NEW'],
      ['Cookie', 'sid=s2; theme=dark'],
    ]);
    expect(c.url).toBe('/ws/chat?room=a%20b&token=N%20E%2FW&x=1');
    expect(text(c)).toBe('{"user": {"name": "alice"}, "token": "NEW\\"1", "n": 4}');
    expect(JSON.parse(text(c)).token).toBe('NEW"1');
  });

  it('reports a use that is not there as not replaced', () => {
    const c = request();
    expect(replaceAt(c, loc('header:authorization'), 'other', 'x')).toBe(false);
    expect(replaceAt(c, loc('json:$.user.name'), 'tok123', 'x')).toBe(false);
    expect(replaceAt(c, loc('query:none'), 'tok123', 'x')).toBe(false);
  });

  it('rewrites JSON fields through a parse and leaves other requests alone', () => {
    const c = request();
    expect(rewriteAt(c, loc('json:$.user.name'), (old) => `${old}-7`)).toBe(true);
    expect(JSON.parse(text(c)).user.name).toBe('alice-7');
    const plain: Carrier = { side: 'request', url: '/api/me', headers: [], body: Buffer.alloc(0) };
    expect(rewriteAt(plain, loc('json:$.user.name'), () => 'x')).toBe(false);
    expect(plain.body!.byteLength).toBe(0);
  });

  it('keeps binary bodies intact around a replacement', () => {
    const c: Carrier = { side: 'request', body: Buffer.from([0, 255, ...Buffer.from('tok'), 1]) };
    expect(replaceAt(c, loc('body'), 'tok', 'abcd')).toBe(true);
    expect([...c.body!]).toEqual([0, 255, ...Buffer.from('abcd'), 1]);
  });

  it('reads Set-Cookie on the response side and Cookie on the request side', () => {
    const res: Carrier = { side: 'response', headers: [['set-cookie', 'sid=abc; Path=/; HttpOnly'], ['set-cookie', 'b=2']] };
    expect(cookiesOf(res)).toEqual([
      { name: 'sid', value: 'abc' },
      { name: 'b', value: '2' },
    ]);
    expect(readAt(res, loc('cookie:sid'))).toBe('abc');
    expect(cookiesOf(request())).toEqual([
      { name: 'sid', value: 's1' },
      { name: 'theme', value: 'dark' },
    ]);
  });

  it('finds a value sent verbatim anywhere in the request', () => {
    const c = request();
    expect(findVerbatim(c, 'tok123')).toBe('url');
    expect(findVerbatim({ side: 'request', headers: [['X-T', 'a tok123']] }, 'tok123')).toBe('header:x-t');
    expect(findVerbatim({ side: 'request', body: Buffer.from('..tok123..') }, 'tok123')).toBe('body');
    expect(findVerbatim(c, 'absent')).toBeUndefined();
  });
});
