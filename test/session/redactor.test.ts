import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import type { Event, HttpEvent, Session, ValueLink, WsMessageEvent, WsOpenEvent } from '../../src/model/index.js';
import { REDACTED, Redactor } from '../../src/session/redactor.js';
import { Stitcher } from '../../src/session/stitcher.js';
import { body, T0, Traffic } from './traffic.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

function http(request: Partial<HttpEvent['request']>, response?: Partial<NonNullable<HttpEvent['response']>>): HttpEvent {
  return {
    type: 'http', seq: 0, t: T0, exchangeId: 'x', connectionId: 'c', clientAddress: '127.0.0.1',
    request: { method: 'POST', url: '/', httpVersion: '1.1', headers: [], body: body(undefined), ...request },
    ...(response && { response: { status: 200, statusMessage: 'OK', headers: [], body: body(undefined), ...response } }),
    timing: { start: T0, end: T0 + 1 },
  };
}

function wsOpen(url: string, headers: [string, string][] = []): WsOpenEvent {
  return { type: 'ws-open', seq: 0, t: T0, wsId: 'w', connectionId: 'c', clientAddress: '127.0.0.1', url, headers, protocols: [], protocol: '', status: 101 };
}

function message(direction: 'client' | 'server', data: string, truncated = false): WsMessageEvent {
  return { type: 'ws-message', seq: 1, t: T0, wsId: 'w', direction, opcode: 'text', data: { ...body(data), truncated } };
}

describe('Redactor rules', () => {
  it('rejects bad rules as usage errors', () => {
    for (const rule of ['header:', 'cookie:', 'query:', 'json:token', 'json:$', 'json:$[', 'path', 'body', 'nope:x', '']) {
      expect(() => new Redactor([rule]), rule).toThrow(UsageError);
    }
  });

  it('returns events untouched (the same object) when there are no rules', () => {
    const e = http({ headers: [['Authorization', 'Bearer x']] });
    expect(new Redactor([]).event(e)).toBe(e);
  });
});

describe('Redactor: header:NAME', () => {
  const redactor = new Redactor(['header:Authorization', 'header:x-secret']);

  it('redacts request and response headers, any case, keeping the auth scheme', () => {
    const e = http(
      { headers: [['authorization', 'Bearer abc.def'], ['X-Secret', 's1'], ['Accept', '*/*']] },
      { headers: [['X-SECRET', 's2'], ['Content-Type', 'text/plain']] },
    );
    const out = redactor.event(e);
    expect(out.request.headers).toEqual([['authorization', `Bearer ${REDACTED}`], ['X-Secret', REDACTED], ['Accept', '*/*']]);
    expect(out.response!.headers).toEqual([['X-SECRET', REDACTED], ['Content-Type', 'text/plain']]);
    expect(e.request.headers[0]).toEqual(['authorization', 'Bearer abc.def']);
  });

  it('redacts WebSocket handshake headers and a refused upgrade response', () => {
    const open = { ...wsOpen('/ws', [['Authorization', 'Token t0k3n']]), status: 401, response: http({}, { headers: [['X-Secret', 'z']] }).response! };
    const out = redactor.event(open);
    expect(out.headers).toEqual([['Authorization', `Token ${REDACTED}`]]);
    expect(out.response!.headers).toEqual([['X-Secret', REDACTED]]);
  });
});

describe('Redactor: cookie:NAME', () => {
  const redactor = new Redactor(['cookie:sid']);

  it('redacts the cookie in Cookie and Set-Cookie, keeping other cookies and attributes', () => {
    const out = redactor.event(
      http({ headers: [['Cookie', 'theme=dark; sid=abc123; lang=en']] }, { headers: [['Set-Cookie', 'sid=new456; Path=/; HttpOnly'], ['Set-Cookie', 'theme=light']] }),
    );
    expect(out.request.headers).toEqual([['Cookie', `theme=dark; sid=${REDACTED}; lang=en`]]);
    expect(out.response!.headers).toEqual([['Set-Cookie', `sid=${REDACTED}; Path=/; HttpOnly`], ['Set-Cookie', 'theme=light']]);
  });

  it('redacts it in a WebSocket handshake', () => {
    expect(redactor.event(wsOpen('/ws', [['cookie', 'sid=zz']])).headers).toEqual([['cookie', `sid=${REDACTED}`]]);
  });
});

describe('Redactor: query:NAME', () => {
  const redactor = new Redactor(['query:token']);

  it('redacts the parameter in request and handshake URLs, every other byte kept', () => {
    expect(redactor.event(http({ url: '/a/b?x=%20y&token=abc&token=def&z#frag' })).request.url).toBe(`/a/b?x=%20y&token=${REDACTED}&token=${REDACTED}&z#frag`);
    expect(redactor.event(wsOpen('http://app.test/ws/chat?token=abc')).url).toBe(`http://app.test/ws/chat?token=${REDACTED}`);
    expect(redactor.event(http({ url: '/no-query' })).request.url).toBe('/no-query');
  });
});

describe('Redactor: json:$.path', () => {
  const redactor = new Redactor(['json:$.password', 'json:$.token', 'json:$.users[*].secret']);
  const jsonType: [string, string] = ['Content-Type', 'application/json'];

  it('redacts request and response JSON bodies, nested through [*]', () => {
    const out = redactor.event(
      http(
        { headers: [jsonType], body: body({ username: 'a', password: 'hunter2' }) },
        { headers: [jsonType], body: body({ token: 'tkn', users: [{ secret: 1 }, { secret: 'x', name: 'n' }] }) },
      ),
    );
    expect(JSON.parse(text(out.request.body.bytes))).toEqual({ username: 'a', password: REDACTED });
    expect(JSON.parse(text(out.response!.body.bytes))).toEqual({ token: REDACTED, users: [{ secret: REDACTED }, { secret: REDACTED, name: 'n' }] });
  });

  it('is not fooled by a key written with escapes', () => {
    const out = redactor.event(http({ headers: [jsonType], body: body('{"\\u0074oken":"tkn-secret"}') }));
    expect(JSON.parse(text(out.request.body.bytes))).toEqual({ token: REDACTED });
  });

  it('redacts inside gzipped bodies and keeps them gzipped', () => {
    const out = redactor.event(http({}, { headers: [jsonType, ['Content-Encoding', 'gzip']], body: body({ token: 'tkn-secret' }, 'gzip') }));
    expect(JSON.parse(gunzipSync(out.response!.body.bytes).toString())).toEqual({ token: REDACTED });
  });

  it('redacts JSON text messages in both directions and leaves other messages alone', () => {
    expect(text(redactor.event(message('client', '{"token":"abc","n":1}')).data.bytes)).toBe(`{"token":"${REDACTED}","n":1}`);
    expect(text(redactor.event(message('server', '{"password":"p"}')).data.bytes)).toBe(`{"password":"${REDACTED}"}`);
    const plain = message('client', 'token abc');
    expect(redactor.event(plain).data).toBe(plain.data);
    const other = message('server', '{"note":"abc"}');
    expect(redactor.event(other).data).toBe(other.data);
  });

  it('withholds a JSON body it cannot parse rather than store what it cannot check', () => {
    const cut = { ...body('{"password":"hunt'), truncated: true };
    const out = redactor.event(http({ headers: [jsonType], body: cut }));
    expect(out.request.body).toEqual({ bytes: new Uint8Array(0), size: cut.size, truncated: true });
    expect(redactor.event(message('client', '{"token":"ab', true)).data.bytes.byteLength).toBe(0);
  });
});

describe('Redactor: sessions and their value links', () => {
  function session(overrides: Partial<Session>): Session {
    return {
      id: 's1', startedAt: T0, endedAt: T0, tags: ['authenticated'], client: { address: '127.0.0.1', userAgent: 'ua/1' },
      groupedBy: { by: 'link' }, eventCount: 3, links: [], ...overrides,
    };
  }

  it('redacts link values at redacted locations, where issued or where used, keeping the locations', () => {
    const redactor = new Redactor(['json:$.token', 'header:user-agent', 'cookie:sid']);
    const issuedAtRule: ValueLink = { value: 'T1', source: { seq: 0, at: { in: 'json', path: '$.token' } }, uses: [{ seq: 1, at: { in: 'query', name: 'x' } }] };
    const usedAtRule: ValueLink = { value: 'S1', source: { seq: 0, at: { in: 'header', name: 'x-id' } }, uses: [{ seq: 2, at: { in: 'cookie', name: 'sid' } }] };
    const untouched: ValueLink = { value: 'ID1', source: { seq: 0, at: { in: 'json', path: '$.id' } }, uses: [{ seq: 1, at: { in: 'path' } }] };
    const s = session({ links: [issuedAtRule, usedAtRule, untouched], groupedBy: { by: 'session-key', spec: 'cookie:sid', value: 'S1' } });
    const out = redactor.session(s);
    expect(out.links).toEqual([
      { ...issuedAtRule, value: REDACTED },
      { ...usedAtRule, value: REDACTED },
      untouched,
    ]);
    expect(out.groupedBy).toEqual({ by: 'session-key', spec: 'cookie:sid', value: REDACTED });
    expect(out.client).toEqual({ address: '127.0.0.1', userAgent: REDACTED });
    expect(s.links[0]!.value).toBe('T1');
  });

  it('copes with link locations the path grammar cannot read back', () => {
    const odd: ValueLink = { value: 'V', source: { seq: 0, at: { in: 'json', path: '$["a]b"]' } }, uses: [{ seq: 1, at: { in: 'path' } }] };
    expect(new Redactor(['json:$.a']).session(session({ links: [odd] })).links).toEqual([odd]);
  });

  it('keeps a linked token off disk: login -> me -> WebSocket with json:$.token redacted', () => {
    const token = '5f0c9e2ab7d14c38a6e1f2b3c4d5e6f7';
    const traffic = new Traffic(new Stitcher());
    traffic.exchange({ connection: 'c1', method: 'POST', url: '/api/auth/login', body: { username: 'u', password: 'secret' } }, { body: { token } });
    traffic.exchange({ connection: 'c2', url: '/api/me' , headers: [['Authorization', `Bearer ${token}`]] }, { body: { echo: token } });
    traffic.wsOpen('w', { connection: 'c3', url: `/ws/chat?token=${token}` });
    traffic.wsMessage('w', 'client', { type: 'hello', auth: token });

    const redactor = new Redactor(['json:$.token', 'json:$.password']);
    const stored = traffic.out.map((s) => redactor.stitched(s));
    const everything = JSON.stringify(stored, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString() : v));
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('"secret"');

    const [login, me, open, msg] = stored.map((s) => s.event) as [HttpEvent, HttpEvent, WsOpenEvent, WsMessageEvent];
    expect(JSON.parse(text(login.response!.body.bytes))).toEqual({ token: REDACTED });
    expect(me.request.headers).toContainEqual(['Authorization', `Bearer ${REDACTED}`]);
    expect(JSON.parse(text(me.response!.body.bytes))).toEqual({ echo: REDACTED });
    expect(open.url).toBe(`/ws/chat?token=${REDACTED}`);
    expect(JSON.parse(text(msg.data.bytes))).toEqual({ type: 'hello', auth: REDACTED });

    const last = stored[stored.length - 1]!.session;
    expect(last.links).toEqual([
      {
        value: REDACTED,
        source: { seq: 0, at: { in: 'json', path: '$.token' } },
        uses: [
          { seq: 1, at: { in: 'header', name: 'authorization' } },
          { seq: 2, at: { in: 'query', name: 'token' } },
          { seq: 3, at: { in: 'json', path: '$.auth' } },
        ],
      },
    ]);
    expect(traffic.out[3]!.session.links[0]!.value).toBe(token);
  });

  it('redacts a link used at a redacted location in the events after that use', () => {
    const traffic = new Traffic(new Stitcher());
    traffic.exchange({ connection: 'c1', url: '/login' }, { body: { token: 'tok-77aa88bb99cc' } });
    traffic.exchange({ connection: 'c2', url: '/me', headers: [['Authorization', 'Bearer tok-77aa88bb99cc']] });
    traffic.wsOpen('w', { connection: 'c3', url: '/ws?t=tok-77aa88bb99cc' });
    const redactor = new Redactor(['header:authorization']);
    const [, me, open] = traffic.out.map((s) => redactor.stitched(s)) as { event: Event; session: Session }[];
    expect((me!.event as HttpEvent).request.headers).toContainEqual(['Authorization', `Bearer ${REDACTED}`]);
    expect((open!.event as WsOpenEvent).url).toBe(`/ws?t=${REDACTED}`);
    expect(open!.session.links[0]!.value).toBe(REDACTED);
  });
});
