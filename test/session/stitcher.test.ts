import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import type { Event, Session } from '../../src/model/index.js';
import { Stitcher } from '../../src/session/stitcher.js';
import { jwt, seeded, Traffic } from './traffic.js';

const hex = (rand: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

type Step = () => void;

/** Runs each user's steps in order, users interleaved at random (but repeatably). */
function interleave(users: Step[][], seed: number): void {
  const rand = seeded(seed);
  const queues = users.map((steps) => [...steps]);
  for (let left = queues.filter((q) => q.length).length; left > 0; left = queues.filter((q) => q.length).length) {
    const open = queues.filter((q) => q.length > 0);
    open[Math.floor(rand() * open.length)]!.shift()!();
  }
}

interface Journey {
  token: string;
  seqs: { login: number; me: number; wsOpen: number; tokenMessage: number };
  sessionIds: Set<string>;
}

/** login -> me -> WebSocket, each on its own connection, everyone from 127.0.0.1 with one User-Agent. */
function chatJourney(traffic: Traffic, i: number, rand: () => number): { steps: Step[]; journey: Journey } {
  const journey: Journey = { token: '', seqs: { login: -1, me: -1, wsOpen: -1, tokenMessage: -1 }, sessionIds: new Set() };
  const note = (s: { session: Session; event: Event }): number => {
    journey.sessionIds.add(s.session.id);
    return s.event.seq;
  };
  const name = `user${i}`;
  const user = { id: `u_${hex(rand, 12)}`, name, created_at: '2026-12-03T14:51:52Z' };
  let endLogin: ReturnType<Traffic['start']>;
  let endMe: ReturnType<Traffic['start']>;
  const ws = `w${i}`;
  const steps: Step[] = [
    () => (endLogin = traffic.start({ connection: `c${i}-login`, method: 'POST', url: '/api/auth/login', body: { username: name, password: 'secret' } })),
    () => {
      journey.token = hex(rand, 32);
      journey.seqs.login = note(endLogin({ body: { user, token: journey.token } }));
    },
    () => (endMe = traffic.start({ connection: `c${i}-me`, url: '/api/me', headers: [['Authorization', `Bearer ${journey.token}`]] })),
    () => (journey.seqs.me = note(endMe({ body: user }))),
    () => (journey.seqs.wsOpen = note(traffic.wsOpen(ws, { connection: `c${i}-ws`, url: `/ws/chat?token=${journey.token}` }))),
    () => note(traffic.wsMessage(ws, 'server', { type: 'queued', position: i })),
    () => note(traffic.wsMessage(ws, 'server', { type: 'ready', user: name })),
    () => (journey.seqs.tokenMessage = note(traffic.wsMessage(ws, 'client', { type: 'chat', text: 'hello there', token: journey.token }))),
    () => note(traffic.wsMessage(ws, 'server', { type: 'reply', text: 'hi', at: 1_700_000_000_123 })),
    () => note(traffic.wsClose(ws)),
  ];
  return { steps, journey };
}

describe('Stitcher: the login -> me -> WebSocket journey', () => {
  it.each([1, 2, 3])('stitches 5 interleaved users into exactly one session each (interleaving %i)', (seed) => {
    const traffic = new Traffic(new Stitcher());
    const rand = seeded(seed * 7919);
    const runs = Array.from({ length: 5 }, (_, i) => chatJourney(traffic, i, rand));
    interleave(
      runs.map((r) => r.steps),
      seed,
    );

    expect(traffic.stitcher.sessionsSeen()).toBe(5);
    expect(traffic.sessions().size).toBe(5);
    const owners = new Set<string>();
    for (const { journey } of runs) {
      expect(journey.sessionIds.size).toBe(1);
      const [id] = [...journey.sessionIds];
      owners.add(id!);
      const session = traffic.sessions().get(id!)!;
      expect(session.tags).toEqual(['authenticated']);
      expect(session.eventCount).toBe(8);
      expect(session.groupedBy).toEqual({ by: 'link' });

      const link = session.links.find((l) => l.value === journey.token);
      expect(link?.source).toEqual({ seq: journey.seqs.login, at: { in: 'json', path: '$.token' } });
      expect(link?.uses).toEqual(
        expect.arrayContaining([
          { seq: journey.seqs.me, at: { in: 'header', name: 'authorization' } },
          { seq: journey.seqs.wsOpen, at: { in: 'query', name: 'token' } },
          { seq: journey.seqs.tokenMessage, at: { in: 'json', path: '$.token' } },
        ]),
      );
      expect(link?.uses).toHaveLength(3);

      // A login first guessed into another user's session and moved out leaves a gap there: seqs
      // only order, they need not be dense.
      const events = traffic.eventsOf(id!);
      expect(new Set(events.map((e) => e.seq)).size).toBe(8);
      const starts = events.map((e) => e.t);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(events.map((e) => e.type)).toEqual(['http', 'http', 'ws-open', 'ws-message', 'ws-message', 'ws-message', 'ws-message', 'ws-close']);
    }
    expect(owners.size).toBe(5);
  });

  it('does not follow values the request itself sent, nor short and common values', () => {
    const traffic = new Traffic(new Stitcher());
    traffic.exchange(
      { connection: 'c1', method: 'POST', url: '/api/auth/login', body: { username: 'Alice-Longname-2024', password: 'secret' } },
      { body: { name: 'Alice-Longname-2024', ok: true, count: 3, status: 'ok', token: 'tok_9f8e7d6c5b4a' } },
    );
    const me = traffic.exchange({ connection: 'c2', url: '/api/me?name=Alice-Longname-2024&status=ok', headers: [['Authorization', 'Bearer tok_9f8e7d6c5b4a']] });
    expect(me.session.links).toEqual([
      { value: 'tok_9f8e7d6c5b4a', source: { seq: 0, at: { in: 'json', path: '$.token' } }, uses: [{ seq: 1, at: { in: 'header', name: 'authorization' } }] },
    ]);
  });

  it('follows a token out of a gzipped response and into a JSON request body on a new connection', () => {
    const traffic = new Traffic(new Stitcher());
    const login = traffic.exchange({ connection: 'c1', method: 'POST', url: '/login', body: { user: 'a', password: 'x' } }, { body: { data: { cart: 'cart-31f9a0c7e2' } }, gzip: true });
    traffic.exchange({ connection: 'other', address: '10.0.0.9', url: '/unrelated' });
    const order = traffic.exchange({ connection: 'c9', address: '10.0.0.7', method: 'POST', url: '/orders', body: { items: [{ cart: 'cart-31f9a0c7e2' }] } });
    expect(order.session.id).toBe(login.session.id);
    expect(order.session.links[0]).toEqual({
      value: 'cart-31f9a0c7e2',
      source: { seq: 0, at: { in: 'json', path: '$.data.cart' } },
      uses: [{ seq: 1, at: { in: 'json', path: '$.items[0].cart' } }],
    });
  });

  it('records every use, in the path and in form bodies too', () => {
    const traffic = new Traffic(new Stitcher());
    traffic.exchange({ connection: 'c1', method: 'POST', url: '/orders' }, { body: { id: 98765432 } });
    traffic.exchange({ connection: 'c2', url: '/orders/98765432' });
    traffic.exchange({ connection: 'c3', method: 'POST', url: '/pay', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'order=98765432&amount=5' });
    const [session] = traffic.sessions().values();
    expect(traffic.sessions().size).toBe(1);
    expect(session!.links[0]!.uses).toEqual([
      { seq: 1, at: { in: 'path' } },
      { seq: 2, at: { in: 'body' } },
    ]);
  });

  it('does not tie users together through a value every one of them was given', () => {
    const traffic = new Traffic(new Stitcher());
    const a = traffic.exchange({ connection: 'a', address: '10.0.0.1', url: '/rooms' }, { body: { room: 'room-7f3a9c2b' } });
    const b = traffic.exchange({ connection: 'b', address: '10.0.0.2', url: '/rooms' }, { body: { room: 'room-7f3a9c2b' } });
    const c = traffic.exchange({ connection: 'c', address: '10.0.0.3', url: '/rooms/join?room=room-7f3a9c2b' });
    expect(new Set([a.session.id, b.session.id, c.session.id]).size).toBe(3);
    const a2 = traffic.exchange({ connection: 'a', address: '10.0.0.1', url: '/rooms/join?room=room-7f3a9c2b' });
    expect(a2.session.id).toBe(a.session.id);
    expect(a2.session.links[0]!.uses).toEqual([{ seq: 1, at: { in: 'query', name: 'room' } }]);
  });
});

describe('Stitcher: cookie sessions', () => {
  it('follows Set-Cookie into later Cookie headers, for interleaved users on their own connections', () => {
    const traffic = new Traffic(new Stitcher());
    const form: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];
    const sids = ['s3cr3t-a1b2c3d4', 'S9x8Y7w6V5u4t3', 'q1w2e3r4t5y6u7'];
    const ends = sids.map((_, i) => traffic.start({ connection: `login${i}`, method: 'POST', url: '/login', headers: [form], body: `username=u${i}&password=pw${i}` }));
    const logins = [2, 0, 1].map((i) => ({ i, s: ends[i]!({ status: 302, headers: [['Set-Cookie', `sid=${sids[i]}; Path=/; HttpOnly`]], body: 'ok' }) }));
    const later = [1, 2, 0, 0, 2].map((i) => ({ i, s: traffic.exchange({ connection: `page${i}-${traffic.t}`, url: '/profile', headers: [['Cookie', `theme=dark; sid=${sids[i]}`]] }) }));

    expect(traffic.sessions().size).toBe(3);
    for (const { i, s } of later) expect(s.session.id).toBe(logins.find((l) => l.i === i)!.s.session.id);
    for (const { i, s } of logins) {
      const session = traffic.sessions().get(s.session.id)!;
      expect(session.tags).toEqual(['authenticated']);
      expect(session.links).toHaveLength(1);
      expect(session.links[0]!.value).toBe(sids[i]);
      expect(session.links[0]!.source).toEqual({ seq: 0, at: { in: 'cookie', name: 'sid' } });
      expect(session.links[0]!.uses.every((u) => u.at.in === 'cookie' && u.at.name === 'sid')).toBe(true);
    }
  });

  it('groups requests presenting the same session cookie even when it was issued before recording began', () => {
    const traffic = new Traffic(new Stitcher());
    const a = traffic.exchange({ connection: 'c1', url: '/a', headers: [['Cookie', 'sessionid=pre-existing-91ab']] });
    const b = traffic.exchange({ connection: 'c2', address: '10.9.9.9', url: '/b', headers: [['Cookie', 'sessionid=pre-existing-91ab']] });
    const c = traffic.exchange({ connection: 'c3', url: '/c', headers: [['Cookie', 'sessionid=another-one-77']] });
    expect(b.session.id).toBe(a.session.id);
    expect(c.session.id).not.toBe(a.session.id);
    expect(a.session.tags).toEqual(['authenticated']);
  });
});

describe('Stitcher: --session-key', () => {
  it('rejects bad specs as usage errors', () => {
    for (const spec of ['nope', 'cookie:', 'jwt:', 'path:x', ':x']) {
      expect(() => new Stitcher({ sessionKeys: [spec] }), spec).toThrow(UsageError);
    }
  });

  it.each([
    ['header:x-user-id', (v: string) => ({ headers: [['X-User-Id', v]] as [string, string][] })],
    ['cookie:sid', (v: string) => ({ headers: [['Cookie', `a=1; sid=${v}`]] as [string, string][] })],
    ['query:token', (v: string) => ({ url: `/x?token=${v}` })],
  ])('%s: same value -> same session, across connections and addresses', (spec, carry) => {
    const traffic = new Traffic(new Stitcher({ sessionKeys: [spec] }));
    const a1 = traffic.exchange({ connection: 'c1', address: '10.0.0.1', url: '/x', ...carry('alice') });
    const b1 = traffic.exchange({ connection: 'c1', address: '10.0.0.1', url: '/x', ...carry('bob') });
    const a2 = traffic.exchange({ connection: 'c2', address: '10.0.0.2', url: '/x', ...carry('alice') });
    expect(a2.session.id).toBe(a1.session.id);
    expect(b1.session.id).not.toBe(a1.session.id);
    expect(a1.session.groupedBy).toEqual({ by: 'session-key', spec, value: 'alice' });
  });

  it('jwt:sub: tokens with the same subject are one session, another subject on the same connection is not', () => {
    const traffic = new Traffic(new Stitcher({ sessionKeys: ['jwt:sub'] }));
    const bearer = (claims: object): [string, string][] => [['Authorization', `Bearer ${jwt(claims)}`]];
    const a1 = traffic.exchange({ connection: 'c1', url: '/me', headers: bearer({ sub: 'alice', iat: 1 }) });
    const b1 = traffic.exchange({ connection: 'c1', url: '/me', headers: bearer({ sub: 'bob', iat: 1 }) });
    const a2 = traffic.exchange({ connection: 'c2', url: '/me', headers: [['Cookie', `jwt=${jwt({ sub: 'alice', iat: 2 })}`]] });
    const a3 = traffic.wsOpen('w', { connection: 'c3', url: `/ws?access_token=${jwt({ sub: 'alice', iat: 3 })}` });
    expect(new Set([a1.session.id, a2.session.id, a3.session.id]).size).toBe(1);
    expect(b1.session.id).not.toBe(a1.session.id);
    expect(a1.session.groupedBy).toEqual({ by: 'session-key', spec: 'jwt:sub', value: 'alice' });
  });

  it('several specs: the first that matches wins; requests without a key fall back to the default grouping', () => {
    const traffic = new Traffic(new Stitcher({ sessionKeys: ['header:x-user', 'cookie:uid'] }));
    const both = traffic.exchange({ connection: 'c1', url: '/a', headers: [['X-User', 'alice'], ['Cookie', 'uid=zed']] });
    const cookieOnly = traffic.exchange({ connection: 'c2', address: '10.0.0.2', url: '/b', headers: [['Cookie', 'uid=zed']] });
    expect(both.session.groupedBy).toEqual({ by: 'session-key', spec: 'header:x-user', value: 'alice' });
    expect(cookieOnly.session.id).not.toBe(both.session.id);
    expect(cookieOnly.session.groupedBy).toEqual({ by: 'session-key', spec: 'cookie:uid', value: 'zed' });
    const keyless = traffic.exchange({ connection: 'c1', url: '/logo.png' });
    expect(keyless.session.id).toBe(both.session.id);
  });

  it('a login without the key joins the session its token later keys', () => {
    const traffic = new Traffic(new Stitcher({ sessionKeys: ['jwt:sub'] }));
    const token = jwt({ sub: 'carol' });
    const login = traffic.exchange({ connection: 'c1', method: 'POST', url: '/login', body: { username: 'carol', password: 'pw' } }, { body: { token } });
    const me = traffic.exchange({ connection: 'c2', url: '/me', headers: [['Authorization', `Bearer ${token}`]] });
    expect(me.session.id).toBe(login.session.id);
    expect(me.session.groupedBy).toEqual({ by: 'session-key', spec: 'jwt:sub', value: 'carol' });
    expect(me.session.links[0]!.uses).toEqual([{ seq: 1, at: { in: 'header', name: 'authorization' } }]);
  });
});

describe('Stitcher: fallback grouping', () => {
  it('groups unlinked requests by connection', () => {
    const traffic = new Traffic(new Stitcher());
    const a = traffic.exchange({ connection: 'c1', address: '10.0.0.1', url: '/' });
    const b = traffic.exchange({ connection: 'c2', address: '10.0.0.2', url: '/' });
    const a2 = traffic.exchange({ connection: 'c1', address: '10.0.0.1', url: '/style.css' });
    expect(a2.session.id).toBe(a.session.id);
    expect(b.session.id).not.toBe(a.session.id);
    expect(a2.session.groupedBy).toEqual({ by: 'connection' });
    expect(a2.session.eventCount).toBe(2);
  });

  it('then by client address and User-Agent, within the idle gap', () => {
    const traffic = new Traffic(new Stitcher({ idleGapMs: 5_000 }));
    const first = traffic.exchange({ connection: 'c1', url: '/' });
    traffic.advance(4_000);
    const near = traffic.exchange({ connection: 'c2', url: '/app.js' });
    const otherAgent = traffic.exchange({ connection: 'c3', url: '/', userAgent: 'curl/8' });
    const otherAddress = traffic.exchange({ connection: 'c4', address: '10.1.1.1', url: '/' });
    traffic.advance(5_001);
    const late = traffic.exchange({ connection: 'c5', url: '/' });
    expect(near.session.id).toBe(first.session.id);
    expect(near.session.groupedBy).toEqual({ by: 'client', idleGapMs: 5_000 });
    expect(new Set([first.session.id, otherAgent.session.id, otherAddress.session.id, late.session.id]).size).toBe(4);
    expect(first.session.client).toEqual({ address: '127.0.0.1', userAgent: 'journey/1.0' });
  });

  it('behind a load balancer (--client-header): users on one pooled connection apart, one user over two together', () => {
    const balancer = (client: string, connection: string, url: string) => ({
      connection,
      address: '10.0.0.1',
      url,
      headers: [['X-Forwarded-For', `${client}, 10.0.0.9`]] as [string, string][],
    });
    const behind = new Traffic(new Stitcher({ clientHeader: 'X-Forwarded-For' }));
    const a = behind.exchange(balancer('203.0.113.5', 'lb1', '/'));
    const b = behind.exchange(balancer('198.51.100.7', 'lb1', '/'));
    const a2 = behind.exchange(balancer('203.0.113.5', 'lb2', '/app.js'));
    const bare = behind.exchange({ connection: 'lb1', address: '10.0.0.1', url: '/health' });
    const ws = behind.wsOpen('w1', balancer('198.51.100.7', 'lb3', '/ws/chat'));
    expect(b.session.id).not.toBe(a.session.id);
    expect([a2.session.id, ws.session.id]).toEqual([a.session.id, b.session.id]);
    expect([a.session.client.address, b.session.client.address]).toEqual(['203.0.113.5', '198.51.100.7']);
    // A request without the header is grouped as ever: the socket's address and connection.
    expect([bare.session.client.address, new Set([a, b, bare].map((x) => x.session.id)).size]).toEqual(['10.0.0.1', 3]);

    // Without the option the balancer's pooled connection is one session for everyone on it.
    const plain = new Traffic(new Stitcher());
    const ids = [balancer('203.0.113.5', 'lb1', '/'), balancer('198.51.100.7', 'lb1', '/')].map((r) => plain.exchange(r).session.id);
    expect(ids[1]).toBe(ids[0]);
    expect(() => new Stitcher({ clientHeader: 'x forwarded' })).toThrow(UsageError);
  });

  it('a login never joins another session through the address + User-Agent guess', () => {
    const traffic = new Traffic(new Stitcher());
    const login = (n: string) => traffic.exchange({ connection: `login-${n}`, method: 'POST', url: '/login', body: { username: n, password: 'pw' } });
    const a = login('a');
    const b = login('b');
    expect(b.session.id).not.toBe(a.session.id);
    expect(b.event.seq).toBe(0);
    expect(traffic.eventsOf(a.session.id).map((e) => e.seq)).toEqual([0]);
  });

  it('a request with a new credential on a connection of an authenticated session starts its own', () => {
    const traffic = new Traffic(new Stitcher());
    const a = traffic.exchange({ connection: 'shared', url: '/me', headers: [['Authorization', 'Bearer alice-token-111']] });
    const a2 = traffic.exchange({ connection: 'shared', url: '/me', headers: [['Authorization', 'Bearer alice-token-111']] });
    const b = traffic.exchange({ connection: 'shared', url: '/me', headers: [['Authorization', 'Bearer bobs-token-2222']] });
    const b2 = traffic.exchange({ connection: 'elsewhere', address: '10.2.2.2', url: '/me', headers: [['Authorization', 'Bearer bobs-token-2222']] });
    expect(a2.session.id).toBe(a.session.id);
    expect(a2.session.groupedBy).toEqual({ by: 'connection' });
    expect(b.session.id).not.toBe(a.session.id);
    expect(b2.session.id).toBe(b.session.id);
    expect(b2.session.groupedBy).toEqual({ by: 'link' });
  });

  it('parallel requests presenting one credential on separate connections are one session', () => {
    const traffic = new Traffic(new Stitcher());
    const auth: [string, string][] = [['Authorization', 'Bearer issued-before-recording-1']];
    const ends = [1, 2, 3].map((i) => traffic.start({ connection: `p${i}`, url: `/api/part${i}`, headers: auth }));
    const ids = ends.map((end) => end().session.id);
    expect(new Set(ids).size).toBe(1);
  });

  it('a password sent again on the connection of its own authenticated session stays in it', () => {
    const traffic = new Traffic(new Stitcher());
    const login = traffic.exchange({ connection: 'c1', method: 'POST', url: '/login', body: { u: 'a', password: 'p' } }, { headers: [['Set-Cookie', 'sid=sess-0f1e2d3c4b']] });
    const confirm = traffic.exchange({ connection: 'c1', method: 'POST', url: '/confirm', headers: [['Cookie', 'sid=sess-0f1e2d3c4b']], body: { password: 'p' } });
    expect(confirm.session.id).toBe(login.session.id);
    expect(confirm.session.groupedBy).toEqual({ by: 'connection' });
    expect(confirm.session.links[0]!.uses).toEqual([{ seq: 1, at: { in: 'cookie', name: 'sid' } }]);
  });

  it('a request linked to a session joins it and takes its connection along', () => {
    const traffic = new Traffic(new Stitcher());
    const login = traffic.exchange({ connection: 'c1', method: 'POST', url: '/login', body: { u: 'x', password: 'p' } }, { body: { token: 'tkn-0a1b2c3d4e' } });
    const stray = traffic.exchange({ connection: 'c2', address: '10.0.0.5', url: '/favicon.ico' });
    const linked = traffic.exchange({ connection: 'c2', address: '10.0.0.5', url: '/me', headers: [['X-Auth-Token', 'tkn-0a1b2c3d4e']] });
    const after = traffic.exchange({ connection: 'c2', address: '10.0.0.5', url: '/logo.png' });
    expect(stray.session.id).not.toBe(login.session.id);
    expect(linked.session.id).toBe(login.session.id);
    expect(after.session.id).toBe(login.session.id);
    expect(linked.session.links[0]!.uses).toEqual([{ seq: 1, at: { in: 'header', name: 'x-auth-token' } }]);
  });

  it('orders a session by request start even when exchanges end out of order', () => {
    const traffic = new Traffic(new Stitcher());
    const slow = traffic.start({ connection: 'c1', url: '/slow' });
    const fast = traffic.start({ connection: 'c2', url: '/fast' });
    const f = fast({}, 1);
    const s = slow({}, 50);
    expect(s.session.id).toBe(f.session.id);
    expect([s.event.seq, f.event.seq]).toEqual([0, 1]);
    expect(s.session.startedAt).toBe(s.event.t);
    expect(s.session.endedAt).toBe(s.event.type === 'http' && s.event.timing.end);
  });

  it('starts a session at its earliest event: a handshake dialled first may be accepted last', () => {
    const stitcher = new Stitcher();
    const open = (wsId: string, t: number) =>
      stitcher.wsOpen({ type: 'ws-open', t, wsId, connectionId: `c-${wsId}`, clientAddress: '127.0.0.1', url: '/ws', headers: [], protocols: [], protocol: '', status: 101 })[0]!;
    const first = open('w1', 1_000);
    const second = open('w2', 990);
    expect(second.session.id).toBe(first.session.id);
    expect(second.session.startedAt).toBe(990);
    expect([first.event.seq, second.event.seq]).toEqual([0, 1]);
  });

  it('stitches an exchange whose request head was never reported', () => {
    const stitcher = new Stitcher();
    const [out] = stitcher.httpExchange({
      type: 'http', t: 10, exchangeId: 'lost', connectionId: 'c', clientAddress: '::1',
      request: { method: 'GET', url: '/', httpVersion: '1.1', headers: [], body: { bytes: new Uint8Array(), size: 0, truncated: false } },
      timing: { start: 10, end: 20 }, error: { code: 'ECONNREFUSED', message: 'refused' },
    });
    expect(out!.event.seq).toBe(0);
    expect(out!.session).toMatchObject({ startedAt: 10, endedAt: 20, eventCount: 1, tags: ['anonymous'] });
  });

  it('gives WebSocket traffic whose handshake it never saw a session of its own', () => {
    const traffic = new Traffic(new Stitcher());
    const m = traffic.wsMessage('unknown', 'server', 'hello');
    const c = traffic.wsClose('unknown');
    expect(c.session.id).toBe(m.session.id);
    expect([m.event.seq, c.event.seq]).toEqual([0, 1]);
  });
});

describe('Stitcher: tags', () => {
  it('tags sessions without credentials anonymous', () => {
    const traffic = new Traffic(new Stitcher());
    const s = traffic.exchange({ connection: 'c1', url: '/', headers: [['Cookie', 'theme=dark; csrftoken=abc123def456']] }, { body: { token: 'public-abc12345' } });
    traffic.wsOpen('w1', { connection: 'c2', url: '/ws/chat' });
    expect(s.session.tags).toEqual(['anonymous']);
  });

  it.each([
    ['an Authorization header', { headers: [['Authorization', 'Basic dXNlcjpwYXNz']] }],
    ['a credential-named header', { headers: [['X-Api-Key', 'k']] }],
    ['a session cookie', { headers: [['Cookie', 'PHPSESSID=abc']] }],
    ['a token in the query', { url: '/x?access_token=abc' }],
    ['a password field', { method: 'POST', body: { user: { name: 'a', newPassword: 'b' } } }],
  ] as const)('tags a session authenticated when it sends %s', (_, req) => {
    const traffic = new Traffic(new Stitcher());
    const s = traffic.exchange({ connection: 'c1', url: '/x', ...req, headers: [...(req as { headers?: [string, string][] }).headers ?? []] });
    expect(s.session.tags).toEqual(['authenticated']);
  });

  it('tags a session authenticated when a WebSocket message sends back an issued token', () => {
    const traffic = new Traffic(new Stitcher());
    traffic.exchange({ connection: 'c1', url: '/ticket' }, { body: { ticket: 'tkt-5e6f7a8b9c' } });
    const open = traffic.wsOpen('w', { connection: 'c1', url: '/ws' });
    expect(open.session.tags).toEqual(['anonymous']);
    const m = traffic.wsMessage('w', 'client', { op: 'auth', ticket: 'tkt-5e6f7a8b9c' });
    expect(m.session.tags).toEqual(['authenticated']);
  });
});

describe('Stitcher: bounded memory', () => {
  it('forgets sessions idle past forgetAfterMs: their values no longer link', () => {
    const traffic = new Traffic(new Stitcher({ forgetAfterMs: 60_000 }));
    const old = traffic.exchange({ connection: 'c1', url: '/login' }, { body: { token: 'tok-aaaa1111bbbb' } });
    for (let i = 0; i < 4; i++) {
      traffic.advance(20_000);
      traffic.exchange({ connection: `k${i}`, address: `10.0.0.${i}`, url: '/tick' });
    }
    expect(traffic.stitcher.liveSessions()).toBeLessThan(5);
    const back = traffic.exchange({ connection: 'c9', address: '10.9.0.1', url: '/me', headers: [['Authorization', 'Bearer tok-aaaa1111bbbb']] });
    expect(back.session.id).not.toBe(old.session.id);
    expect(back.session.links).toEqual([]);
  });

  it('keeps a busy session across many forget periods while an idle one is forgotten', () => {
    const traffic = new Traffic(new Stitcher({ forgetAfterMs: 60_000 }));
    const busy = traffic.exchange({ connection: 'c1', url: '/login' }, { body: { token: 'tok-busy1111busy' } });
    const idle = traffic.exchange({ connection: 'c2', address: '10.0.0.2', url: '/login' }, { body: { token: 'tok-idle2222idle' } });
    // Events closer together than the stitcher reorders sessions: its place in the order goes stale.
    for (let i = 0; i < 600; i++) {
      traffic.advance(400);
      traffic.exchange({ connection: 'c1', url: '/poll', headers: [['Authorization', 'Bearer tok-busy1111busy']] });
    }
    expect(traffic.stitcher.liveSessions()).toBe(1);
    const again = traffic.exchange({ connection: 'c7', address: '10.0.0.7', url: '/me', headers: [['Authorization', 'Bearer tok-busy1111busy']] });
    expect(again.session.id).toBe(busy.session.id);
    const late = traffic.exchange({ connection: 'c8', address: '10.0.0.8', url: '/me', headers: [['Authorization', 'Bearer tok-idle2222idle']] });
    expect(late.session.id).not.toBe(idle.session.id);
  });

  it('keeps a session with an open WebSocket however quiet it is', () => {
    const traffic = new Traffic(new Stitcher({ forgetAfterMs: 60_000 }));
    const open = traffic.wsOpen('w', { connection: 'c1', url: '/ws' });
    traffic.advance(120_000);
    traffic.exchange({ connection: 'c2', address: '10.0.0.2', url: '/tick' });
    traffic.advance(120_000);
    traffic.exchange({ connection: 'c3', address: '10.0.0.3', url: '/tick' });
    expect(traffic.wsMessage('w', 'server', 'still here').session.id).toBe(open.session.id);
  });

  it('keeps at most maxSessions sessions over many users', () => {
    const stitcher = new Stitcher({ maxSessions: 50 });
    const traffic = new Traffic(stitcher);
    let most = 0;
    for (let i = 0; i < 2_000; i++) {
      traffic.exchange({ connection: `c${i}`, address: `10.${i >> 8}.${i & 255}.1`, url: '/login' }, { body: { token: `tok-${i}-abcdef` } });
      most = Math.max(most, stitcher.liveSessions());
    }
    expect(most).toBe(50);
    expect(stitcher.sessionsSeen()).toBe(2_000);
    const recent = traffic.exchange({ connection: 'n1', address: '10.200.0.1', url: '/me', headers: [['Authorization', 'Bearer tok-1999-abcdef']] });
    expect(recent.session.links.map((l) => l.value)).toEqual(['tok-1999-abcdef']);
    const early = traffic.exchange({ connection: 'n2', address: '10.200.0.2', url: '/me', headers: [['Authorization', 'Bearer tok-3-abcdef']] });
    expect(early.session.links).toEqual([]);
  });

  it('keeps the value index bounded: the oldest issued values stop linking first', () => {
    const traffic = new Traffic(new Stitcher({ maxValues: 100 }));
    for (let i = 0; i < 500; i++) {
      traffic.exchange({ connection: `c${i}`, address: `10.${i >> 8}.${i & 255}.1`, url: '/login' }, { body: { token: `tok-${i}-abcdef`, id: 1_000_000 + i } });
    }
    expect(traffic.stitcher.liveSessions()).toBe(500);
    const recent = traffic.exchange({ connection: 'n1', address: '10.200.0.1', url: '/me', headers: [['Authorization', 'Bearer tok-499-abcdef']] });
    const early = traffic.exchange({ connection: 'n2', address: '10.200.0.2', url: '/me', headers: [['Authorization', 'Bearer tok-3-abcdef']] });
    expect(recent.session.links.map((l) => l.value)).toEqual(['tok-499-abcdef']);
    expect(early.session.eventCount).toBe(1);
  });

  it('caps the uses recorded per session', () => {
    const traffic = new Traffic(new Stitcher());
    traffic.exchange({ connection: 'c1', url: '/login' }, { body: { token: 'tok-cafe0123beef' } });
    traffic.wsOpen('w', { connection: 'c2', url: '/ws?token=tok-cafe0123beef' });
    let last;
    for (let i = 0; i < 10_050; i++) last = traffic.wsMessage('w', 'client', { token: 'tok-cafe0123beef', i });
    expect(last!.session.links[0]!.uses).toHaveLength(10_000);
  });
});

describe('Stitcher: hostile input', () => {
  it('stitches a body nested too deep to walk, and odd JSON keys, without failing', () => {
    const traffic = new Traffic(new Stitcher());
    const deep = '['.repeat(30_000) + ']'.repeat(30_000);
    const s = traffic.exchange({ connection: 'c1', method: 'POST', url: '/x', headers: [['Content-Type', 'application/json']], body: deep }, { body: { 'a]b': 'tok-5a6b7c8d9e' } });
    const used = traffic.exchange({ connection: 'c2', url: '/y?t=tok-5a6b7c8d9e' });
    expect(used.session.id).toBe(s.session.id);
    expect(used.session.links[0]!.source.at).toEqual({ in: 'json', path: '$["a]b"]' });
  });
});
