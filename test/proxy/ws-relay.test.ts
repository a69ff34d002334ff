import { once } from 'node:events';
import { connect } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer, type ServerOptions } from 'ws';
import { headerValue } from '../../src/model/headers.js';
import { ProxyServer } from '../../src/proxy/proxy-server.js';
import { proxyFixture, Resources, send, startServer } from './harness.js';

interface Target {
  url: string;
  wss: WebSocketServer;
  /** The target side of each accepted connection, with its handshake request. */
  accepted: Promise<{ ws: WebSocket; req: IncomingMessage }>;
  nextAccepted(): Promise<{ ws: WebSocket; req: IncomingMessage }>;
}

async function wsTarget(res: Resources, options: ServerOptions = {}, http?: (req: IncomingMessage, out: import('node:http').ServerResponse) => void): Promise<Target> {
  const { server, url } = await startServer(http ?? ((_req, out) => out.end('plain http')), res);
  const wss = new WebSocketServer({ server, ...options });
  const queue: { ws: WebSocket; req: IncomingMessage }[] = [];
  const waiting: ((c: { ws: WebSocket; req: IncomingMessage }) => void)[] = [];
  wss.on('connection', (ws, req) => {
    ws.on('error', () => {});
    const w = waiting.shift();
    if (w) w({ ws, req });
    else queue.push({ ws, req });
  });
  res.add(() => new Promise((r) => wss.close(() => r(undefined))));
  const nextAccepted = (): Promise<{ ws: WebSocket; req: IncomingMessage }> =>
    queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r));
  return { url, wss, accepted: nextAccepted(), nextAccepted };
}

function client(url: string, path: string, protocols: string[] = [], options: WebSocket.ClientOptions = {}): WebSocket {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + path, protocols, options);
  ws.on('error', () => {});
  return ws;
}

const nextMessage = (ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> =>
  once(ws, 'message').then(([data, isBinary]) => ({ data: data as Buffer, isBinary: isBinary as boolean }));
const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  once(ws, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));

describe('WebSocket relay', () => {
  const { res, tap, proxyTo } = proxyFixture();

  /** A client relayed to a fresh target at `path`, both legs open. */
  async function relayed(path: string): Promise<{ ws: WebSocket; far: WebSocket }> {
    const target = await wsTarget(res);
    const proxy = await proxyTo(target.url);
    const ws = client(proxy.url, path);
    res.add(() => ws.terminate());
    await once(ws, 'open');
    const { ws: far } = await target.accepted;
    return { ws, far };
  }

  it('relays text and binary messages both ways and records each with its direction, opcode and bytes', async () => {
    const { ws, far } = await relayed('/ws/chat');
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    ws.send('hello target');
    expect(await nextMessage(far)).toEqual({ data: Buffer.from('hello target'), isBinary: false });
    ws.send(bytes);
    expect(await nextMessage(far)).toEqual({ data: bytes, isBinary: true });
    far.send('hello client');
    expect(await nextMessage(ws)).toEqual({ data: Buffer.from('hello client'), isBinary: false });
    far.send(bytes);
    expect(await nextMessage(ws)).toEqual({ data: bytes, isBinary: true });
    await tap.next('ws-message', (m) => m.direction === 'server' && m.opcode === 'binary');
    expect(tap.of('ws-message').map((m) => [m.direction, m.opcode, Buffer.from(m.data.bytes).toString('hex')])).toEqual([
      ['client', 'text', Buffer.from('hello target').toString('hex')],
      ['client', 'binary', bytes.toString('hex')],
      ['server', 'text', Buffer.from('hello client').toString('hex')],
      ['server', 'binary', bytes.toString('hex')],
    ]);
    const open = await tap.next('ws-open');
    expect(new Set(tap.of('ws-message').map((m) => m.wsId))).toEqual(new Set([open.wsId]));
  });

  it('delivers a fragmented message whole, in both directions, and records it as one message', async () => {
    const { ws, far } = await relayed('/ws');
    ws.send('frag-', { fin: false });
    ws.send('ment-', { fin: false });
    ws.send('ed', { fin: true });
    expect((await nextMessage(far)).data.toString()).toBe('frag-ment-ed');
    far.send(Buffer.from([1, 2]), { binary: true, fin: false });
    far.send(Buffer.from([3]), { binary: true, fin: true });
    expect(await nextMessage(ws)).toEqual({ data: Buffer.from([1, 2, 3]), isBinary: true });
    await tap.next('ws-message', (m) => m.direction === 'server');
    expect(tap.of('ws-message').map((m) => Buffer.from(m.data.bytes).toString('hex'))).toEqual([Buffer.from('frag-ment-ed').toString('hex'), '010203']);
  });

  it('carries pings to the far end and its pongs back, both ways', async () => {
    const { ws, far } = await relayed('/ws');
    const farPinged = once(far, 'ping');
    const pong = once(ws, 'pong');
    ws.ping('are you there');
    expect(String((await farPinged)[0])).toBe('are you there');
    expect(String((await pong)[0])).toBe('are you there'); // the target's own pong, relayed
    const clientPinged = once(ws, 'ping');
    const farPong = once(far, 'pong');
    far.ping('and you?');
    expect(String((await clientPinged)[0])).toBe('and you?');
    expect(String((await farPong)[0])).toBe('and you?');
  });

  it('carries a close code and reason from the client to the target, and records the client as the closer', async () => {
    const { ws, far } = await relayed('/ws');
    const [farClosed, clientClosed] = [closed(far), closed(ws)];
    ws.close(4001, 'client is done');
    expect(await farClosed).toEqual({ code: 4001, reason: 'client is done' });
    expect(await clientClosed).toEqual({ code: 4001, reason: 'client is done' });
    expect(await tap.next('ws-close')).toMatchObject({ code: 4001, reason: 'client is done', by: 'client' });
  });

  it('records what it relays: messages the target sends after the client has gone are not recorded', async () => {
    const { ws, far } = await relayed('/ws');
    // The target does not read the close the proxy passes on, and sends on after the client left.
    (far as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const farClosed = closed(far);
    ws.close(4001, 'client is done');
    await closed(ws);
    for (let i = 0; i < 20; i++) far.send(`late ${i}`);
    (far as unknown as { _socket: import('node:net').Socket })._socket.resume();
    expect(await farClosed).toEqual({ code: 4001, reason: 'client is done' });
    expect(tap.of('ws-close')).toMatchObject([{ code: 4001, by: 'client' }]);
    expect(tap.of('ws-message')).toEqual([]);
  });

  it('carries a close code and reason from the target to the client, and records the server as the closer', async () => {
    const { ws, far } = await relayed('/ws');
    const clientClosed = closed(ws);
    far.close(1008, 'policy: bad token');
    expect(await clientClosed).toEqual({ code: 1008, reason: 'policy: bad token' });
    expect(await tap.next('ws-close')).toMatchObject({ code: 1008, reason: 'policy: bad token', by: 'server' });
    await tap.next('ws-close');
    expect(tap.of('ws-close')).toHaveLength(1);
  });

  it('returns the subprotocol the target chose, and records what was offered and chosen', async () => {
    const target = await wsTarget(res, { handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false) });
    const proxy = await proxyTo(target.url);
    const ws = client(proxy.url, '/ws', ['chat.v1', 'chat.v2']);
    res.add(() => ws.terminate());
    await once(ws, 'open');
    expect(ws.protocol).toBe('chat.v2');
    const { req } = await target.accepted;
    expect(req.headers['sec-websocket-protocol']?.split(/, */)).toEqual(['chat.v1', 'chat.v2']);
    expect(await tap.next('ws-open')).toMatchObject({ protocols: ['chat.v1', 'chat.v2'], protocol: 'chat.v2', status: 101 });
    // A target that picks none of the offered ones fails the handshake, as a browser would.
    const none = client(proxy.url, '/ws', ['chat.v1']);
    const [, refused] = (await once(none, 'unexpected-response')) as [unknown, IncomingMessage];
    expect(refused.statusCode).toBe(502);
    refused.resume();
  });

  it("forwards the handshake's headers and query, and returns the target's handshake headers", async () => {
    const target = await wsTarget(res);
    target.wss.on('headers', (headers) => headers.push('Set-Cookie: seen=1; Path=/'));
    const proxy = await proxyTo(target.url);
    const ws = client(proxy.url, '/ws/chat?token=abc123&room=7', [], {
      headers: { Cookie: 'sid=s-42', Authorization: 'Bearer abc123', 'X-Client': 'test-suite', Origin: 'http://app.local' },
    });
    res.add(() => ws.terminate());
    const [upgrade] = (await once(ws, 'upgrade')) as [IncomingMessage];
    expect(upgrade.headers['set-cookie']).toEqual(['seen=1; Path=/']);
    const { req } = await target.accepted;
    expect(req.url).toBe('/ws/chat?token=abc123&room=7');
    expect(req.headers).toMatchObject({ cookie: 'sid=s-42', authorization: 'Bearer abc123', 'x-client': 'test-suite', origin: 'http://app.local' });
    expect(req.headers['x-forwarded-for']).toMatch(/127\.0\.0\.1/);
    const open = await tap.next('ws-open');
    expect(open.url).toBe('/ws/chat?token=abc123&room=7');
    expect(headerValue(open.headers, 'authorization')).toBe('Bearer abc123');
  });

  it('negotiates permessage-deflate on each leg on its own', async () => {
    const plain = await wsTarget(res, { perMessageDeflate: false });
    const proxy = await proxyTo(plain.url);
    const ws = client(proxy.url, '/ws', [], { perMessageDeflate: true });
    res.add(() => ws.terminate());
    await once(ws, 'open');
    expect(ws.extensions).toContain('permessage-deflate'); // client <-> proxy compressed
    const { ws: far, req } = await plain.accepted;
    expect(req.headers['sec-websocket-extensions']).toContain('permessage-deflate'); // offered...
    expect(far.extensions).toBe(''); // ...and declined by this target
    const big = 'compress me '.repeat(1000);
    ws.send(big);
    expect((await nextMessage(far)).data.toString()).toBe(big);
    far.send(big);
    expect((await nextMessage(ws)).data.toString()).toBe(big);

    const deflating = await wsTarget(res, { perMessageDeflate: true });
    const proxy2 = await proxyTo(deflating.url);
    const bare = client(proxy2.url, '/ws', [], { perMessageDeflate: false });
    res.add(() => bare.terminate());
    await once(bare, 'open');
    expect(bare.extensions).toBe('');
    const { req: req2 } = await deflating.accepted;
    expect(req2.headers['sec-websocket-extensions']).toBeUndefined(); // a client that cannot inflate: neither leg compresses
  });

  it("passes a refused upgrade's response to the client unchanged and records it", async () => {
    const target = await wsTarget(res, { verifyClient: (_info, done) => done(false, 401, 'token expired', { 'X-Reason': 'expired' }) });
    const proxy = await proxyTo(target.url);
    const ws = client(proxy.url, '/ws/chat?token=old');
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
    const body: Buffer[] = [];
    for await (const c of response) body.push(c as Buffer);
    expect([response.statusCode, response.headers['x-reason'], Buffer.concat(body).toString()]).toEqual([401, 'expired', 'token expired']);
    const open = await tap.next('ws-open');
    expect(open).toMatchObject({ status: 401, protocol: '' });
    expect(Buffer.from(open.response!.body.bytes).toString()).toBe('token expired');
  });

  it('answers 502 when the target is down, and records the failed handshake', async () => {
    const gone = new Resources();
    const { url } = await startServer(() => {}, gone);
    await gone.closeAll();
    const proxy = await proxyTo(url);
    const ws = client(proxy.url, '/ws');
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
    expect(response.statusCode).toBe(502);
    response.resume();
    expect(await tap.next('ws-open')).toMatchObject({ status: 502, error: { code: 'ECONNREFUSED' } });
    expect(proxy.stats().upstreamErrors).toBe(1);
  });

  it('closes relayed connections with 1001 on stop, recording the proxy as the closer', async () => {
    const target = await wsTarget(res);
    const proxy = await ProxyServer.start({ target: target.url, tap });
    const ws = client(proxy.url, '/ws');
    await once(ws, 'open');
    const { ws: far } = await target.accepted;
    const [mine, theirs] = [closed(ws), closed(far)];
    await proxy.stop(5000);
    expect((await mine).code).toBe(1001);
    expect((await theirs).code).toBe(1001);
    expect(await tap.next('ws-close')).toMatchObject({ code: 1001, by: 'proxy' });
  });

  it('survives a client that sends garbage frames: its leg fails, the target leg is dropped, the proxy serves on', async () => {
    const target = await wsTarget(res);
    const proxy = await proxyTo(target.url);
    const { port } = new URL(proxy.url);
    const socket = connect(Number(port), '127.0.0.1');
    res.add(() => void socket.destroy());
    await once(socket, 'connect');
    socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await once(socket, 'data'); // the 101
    const { ws: far } = await target.accepted;
    const farClosed = closed(far);
    socket.write(Buffer.from([0x8f, 0x80, 1, 2, 3, 4])); // opcode 0xf does not exist (and masked, empty)
    expect((await farClosed).code).toBe(1006);
    expect(await tap.next('ws-close')).toMatchObject({ by: 'client' });
    const ws = client(proxy.url, '/ws');
    res.add(() => ws.terminate());
    await once(ws, 'open');
  });

  it('survives a target that sends garbage frames', async () => {
    const target = await wsTarget(res);
    const proxy = await proxyTo(target.url);
    const ws = client(proxy.url, '/ws');
    await once(ws, 'open');
    const { req } = await target.accepted;
    const clientClosed = closed(ws);
    req.socket.write(Buffer.from([0x83, 0x00])); // reserved opcode 3, unmasked
    expect((await clientClosed).code).toBe(1006);
    expect(await tap.next('ws-close')).toMatchObject({ by: 'server' });
    expect((await send(proxy.url, { path: '/' })).body.toString()).toBe('plain http');
  });

  it('records at most max-body bytes of a message and relays all of it', async () => {
    const target = await wsTarget(res);
    const proxy = await proxyTo(target.url, { maxBody: 10 });
    const ws = client(proxy.url, '/ws');
    res.add(() => ws.terminate());
    await once(ws, 'open');
    const { ws: far } = await target.accepted;
    const long = Buffer.alloc(5000, 7);
    ws.send(long);
    expect((await nextMessage(far)).data).toEqual(long);
    const { data } = await tap.next('ws-message');
    expect(data).toMatchObject({ size: 5000, truncated: true });
    expect(Buffer.from(data.bytes)).toEqual(Buffer.alloc(10, 7));
  });
});
