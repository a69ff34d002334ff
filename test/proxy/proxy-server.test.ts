import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProxyServer } from '../../src/proxy/proxy-server.js';
import { deferred, readBody, Resources, send, startServer, TapLog } from './harness.js';

/** Writes raw bytes to the proxy and resolves with everything it answers before closing. */
async function raw(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(bytes);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  return Buffer.concat(chunks).toString();
}

describe('ProxyServer', () => {
  let res: Resources;
  let tap: TapLog;
  let targetUrl: string;
  let hits: string[];
  beforeEach(async () => {
    res = new Resources();
    tap = new TapLog();
    hits = [];
    ({ url: targetUrl } = await startServer((req, out) => {
      hits.push(req.url!);
      out.end('from target');
    }, res));
  });
  afterEach(() => res.closeAll());

  async function start(): Promise<ProxyServer> {
    const proxy = await ProxyServer.start({ target: targetUrl, tap });
    res.add(() => proxy.stop(1000));
    return proxy;
  }

  it('is not an open proxy: an absolute-form request for another host gets 400, one for the target is forwarded', async () => {
    const proxy = await start();
    const other = await raw(proxy.url, 'GET http://example.com/steal HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
    expect(other).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(other.slice(other.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'bad request' });
    const host = new URL(targetUrl).host;
    const own = await raw(proxy.url, `GET http://${host}/mine?q=1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(own).toMatch(/^HTTP\/1\.1 200 /);
    expect(hits).toEqual(['/mine?q=1']);
  });

  it('refuses CONNECT tunnels and upgrades to anything but WebSocket with 400', async () => {
    const proxy = await start();
    expect(await raw(proxy.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    const h2c = await raw(proxy.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
    expect(h2c).toMatch(/^HTTP\/1\.1 400 /);
    expect(hits).toEqual([]);
  });

  it('answers malformed requests with 400 and keeps serving', async () => {
    const proxy = await start();
    for (const garbage of ['NOT HTTP AT ALL\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n', 'GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n']) {
      const answer = await raw(proxy.url, garbage);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('"malformed request');
    }
    const ok = await send(proxy.url, { path: '/still-up' });
    expect([ok.status, ok.body.toString()]).toEqual([200, 'from target']);
    expect(hits).toEqual(['/still-up']);
  });

  it('on stop, lets the in-flight exchange finish and refuses new connections', async () => {
    const release = deferred();
    const arrived = deferred();
    const { url } = await startServer((_req, out) => {
      arrived.resolve();
      void release.promise.then(() => out.end('finished'));
    }, res);
    const proxy = await ProxyServer.start({ target: url, tap });
    const reply = send(proxy.url, { path: '/slow' });
    await arrived.promise;
    const stopped = proxy.stop(10_000);
    let done = false;
    void stopped.then(() => (done = true));
    await expect(send(proxy.url)).rejects.toThrow(/ECONNREFUSED/);
    expect(done).toBe(false);
    release.resolve();
    expect((await reply).body.toString()).toBe('finished');
    await stopped;
    expect((await tap.next('exchange')).response?.status).toBe(200);
  });

  it('on stop, cuts an exchange that outlives the grace period', async () => {
    const arrived = deferred();
    const { url } = await startServer(() => arrived.resolve(), res); // never answers
    const proxy = await ProxyServer.start({ target: url, tap });
    const reply = new Promise<string>((resolve) => {
      request(`${proxy.url}/forever`, async (r) => resolve((await readBody(r)).toString()))
        .on('error', (e) => resolve(`error: ${e.message}`))
        .end();
    });
    await arrived.promise;
    await proxy.stop(50);
    expect(await reply).toMatch(/^error: /);
  });
});
