import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { headerValue } from '../../src/model/headers.js';
import { deferred, proxyFixture, readBody, Resources, send, startServer } from './harness.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('HTTP forwarding', () => {
  const { res, tap, proxyTo } = proxyFixture();

  it('forwards every method with its body, and the target answers each unchanged', async () => {
    const target = await startServer(async (req, out) => {
      const body = await readBody(req);
      out.writeHead(200, { 'x-method': req.method!, 'x-url': req.url! });
      out.end(req.method === 'HEAD' ? undefined : body);
    }, res);
    const proxy = await proxyTo(target.url);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
      const body = method === 'GET' ? undefined : Buffer.from(`body of ${method}`);
      const headers = { 'content-type': 'text/plain', 'content-length': String(body?.length) };
      const reply = await send(proxy.url, { method, path: '/items/7?x=1', ...(body && { body, headers }) });
      expect(reply.status).toBe(200);
      expect(reply.headers['x-method']).toBe(method);
      expect(reply.headers['x-url']).toBe('/items/7?x=1');
      expect(reply.body.toString()).toBe(body?.toString() ?? '');
    }
    expect(tap.of('exchange').map((x) => x.request.method)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']);
  });

  it('streams a chunked request body to the target before the client has finished sending it', async () => {
    const gotFirst = deferred();
    const target = await startServer(async (req, out) => {
      req.once('data', () => gotFirst.resolve());
      const body = await readBody(req);
      out.end(`got ${body.length} bytes, te=${req.headers['transfer-encoding']}`);
    }, res);
    const proxy = await proxyTo(target.url);
    const reply = new Promise<string>((resolve, reject) => {
      const req = request(`${proxy.url}/upload`, { method: 'POST' }, async (r) => resolve((await readBody(r)).toString()));
      req.on('error', reject);
      req.write(Buffer.alloc(1000, 1));
      // The second chunk is sent only once the target has seen the first: nothing buffers the whole body.
      void gotFirst.promise.then(() => req.end(Buffer.alloc(500, 2)));
    });
    expect(await reply).toBe('got 1500 bytes, te=chunked');
    const x = await tap.next('exchange');
    expect(x.request.body.size).toBe(1500);
  });

  it('streams the response to the client before the target has finished it', async () => {
    const clientGotFirst = deferred();
    const target = await startServer((_req, out) => {
      out.writeHead(200, { 'content-type': 'application/octet-stream' });
      out.write(Buffer.from('first,'));
      void clientGotFirst.promise.then(() => out.end('second'));
    }, res);
    const proxy = await proxyTo(target.url);
    const text = await new Promise<string>((resolve, reject) => {
      request(`${proxy.url}/stream`, async (r) => {
        r.once('data', () => clientGotFirst.resolve());
        resolve((await readBody(r)).toString());
      })
        .on('error', reject)
        .end();
    });
    expect(text).toBe('first,second');
  });

  it('carries large binary bodies both ways intact, and records only up to max-body with the size that crossed', async () => {
    const upload = randomBytes(6 * 1024 * 1024);
    const download = randomBytes(5 * 1024 * 1024 + 7);
    const target = await startServer(async (req, out) => {
      const body = await readBody(req);
      out.writeHead(200, { 'x-upload-sha': sha(body), 'content-type': 'application/octet-stream' });
      out.end(download);
    }, res);
    const proxy = await proxyTo(target.url, { maxBody: 1000 });
    const reply = await send(proxy.url, { method: 'PUT', path: '/blob', body: [upload.subarray(0, 1 << 20), upload.subarray(1 << 20)] });
    expect(reply.headers['x-upload-sha']).toBe(sha(upload));
    expect(sha(reply.body)).toBe(sha(download));
    const x = await tap.next('exchange');
    expect(x.request.body).toMatchObject({ size: upload.length, truncated: true });
    expect(Buffer.from(x.request.body.bytes)).toEqual(upload.subarray(0, 1000));
    expect(x.response!.body).toMatchObject({ size: download.length, truncated: true });
    expect(Buffer.from(x.response!.body.bytes)).toEqual(download.subarray(0, 1000));
  });

  it('keeps connections alive on both legs and names the client connection in each exchange', async () => {
    const upstreamPorts: number[] = [];
    const target = await startServer((req, out) => {
      upstreamPorts.push(req.socket.remotePort!);
      out.end('ok');
    }, res);
    const proxy = await proxyTo(target.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    res.add(() => agent.destroy());
    const a = await send(proxy.url, { agent, path: '/1' });
    const b = await send(proxy.url, { agent, path: '/2' });
    expect(a.socket).toBe(b.socket);
    expect(new Set(upstreamPorts).size).toBe(1);
    await send(proxy.url, { path: '/3' }); // a connection of its own
    const [x1, x2, x3] = tap.of('exchange');
    expect(x1!.connectionId).toBe(x2!.connectionId);
    expect(x3!.connectionId).not.toBe(x1!.connectionId);
    expect(x1!.clientAddress).toMatch(/127\.0\.0\.1/);
  });

  it('answers 100-continue and forwards the body; 204, 304 and HEAD arrive without a body and with their headers', async () => {
    const target = await startServer(async (req, out) => {
      const body = await readBody(req);
      if (req.url === '/continue') out.end(`got ${body}`);
      else if (req.url === '/204') out.writeHead(204, { 'x-kind': 'no-content' }).end();
      else if (req.url === '/304') out.writeHead(304, { etag: '"v1"' }).end();
      else out.writeHead(200, { 'content-length': '12345', 'content-type': 'text/plain' }).end();
    }, res);
    const proxy = await proxyTo(target.url);
    const continued = await new Promise<string>((resolve, reject) => {
      const req = request(`${proxy.url}/continue`, { method: 'POST', headers: { expect: '100-continue', 'content-length': '5' } }, async (r) =>
        resolve((await readBody(r)).toString()),
      );
      req.on('error', reject);
      req.once('continue', () => req.end('hello'));
    });
    expect(continued).toBe('got hello');
    const none = await send(proxy.url, { path: '/204' });
    expect([none.status, none.headers['x-kind'], none.body.length]).toEqual([204, 'no-content', 0]);
    const notModified = await send(proxy.url, { path: '/304', headers: { 'if-none-match': '"v1"' } });
    expect([notModified.status, notModified.headers.etag, notModified.body.length]).toEqual([304, '"v1"', 0]);
    const head = await send(proxy.url, { method: 'HEAD', path: '/head' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '12345', 0]);
  });

  it('drops hop-by-hop headers both ways and adds X-Forwarded-For, -Proto and -Host', async () => {
    let seen: string[] = [];
    const target = await startServer((req, out) => {
      seen = req.rawHeaders;
      out.writeHead(200, [
        ['Connection', 'x-resp-hop'],
        ['X-Resp-Hop', 'secret'],
        ['Keep-Alive', 'timeout=1'],
        ['X-End', 'kept'],
      ].flat());
      out.end('ok');
    }, res);
    const proxy = await proxyTo(target.url);
    const reply = await send(proxy.url, {
      headers: {
        Connection: 'keep-alive, x-hop',
        'X-Hop': 'dropped',
        'Keep-Alive': 'timeout=5',
        TE: 'trailers',
        'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
        'X-Forwarded-For': '203.0.113.9',
        'X-Keep': 'yes',
      },
    });
    const names = seen.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    for (const hop of ['x-hop', 'keep-alive', 'te', 'proxy-authorization']) expect(names).not.toContain(hop);
    const pairs = Object.fromEntries(seen.flatMap((v, i) => (i % 2 === 0 ? [[v.toLowerCase(), seen[i + 1]]] : [])));
    expect(pairs['x-keep']).toBe('yes');
    expect(pairs['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(pairs['x-forwarded-proto']).toBe('http');
    expect(pairs['x-forwarded-host']).toBe(new URL(proxy.url).host);
    expect(pairs.host).toBe(new URL(target.url).host);
    expect(reply.headers['x-resp-hop']).toBeUndefined();
    expect(reply.headers['x-end']).toBe('kept');
    // The recording keeps what the client sent and what the target answered, as they were.
    const x = await tap.next('exchange');
    expect(headerValue(x.request.headers, 'x-hop')).toBe('dropped');
    expect(headerValue(x.response!.headers, 'x-resp-hop')).toBe('secret');
  });

  it("gives the client the target's status line, header order, case and repeats, and body byte for byte", async () => {
    const body = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const sent = [
      ['X-First', 'a'],
      ['set-cookie', 'a=1; Path=/'],
      ['Content-Type', 'application/x-thing'],
      ['SET-COOKIE', 'b=2; HttpOnly'],
      ['Date', 'Mon, 01 Jan 2024 00:00:00 GMT'],
      ['Content-Length', String(body.length)],
    ];
    const target = await startServer((_req, out) => {
      out.writeHead(418, 'I Am A Teapot', sent.flat());
      out.end(body);
    }, res);
    const proxy = await proxyTo(target.url);
    const reply = await send(proxy.url);
    expect([reply.status, reply.statusMessage]).toEqual([418, 'I Am A Teapot']);
    const hopByHop = new Set(['connection', 'keep-alive']);
    const got = reply.rawHeaders.flatMap((v, i) => (i % 2 === 0 && !hopByHop.has(v.toLowerCase()) ? [[v, reply.rawHeaders[i + 1]]] : []));
    expect(got).toEqual(sent);
    expect(reply.body).toEqual(body);
    const x = await tap.next('exchange');
    expect(x.response).toMatchObject({ status: 418, statusMessage: 'I Am A Teapot' });
    expect(x.response!.headers.filter(([n]) => !hopByHop.has(n.toLowerCase()))).toEqual(sent);
    expect(x.timing.start).toBeLessThanOrEqual(x.timing.firstByte!);
    expect(x.timing.firstByte).toBeLessThanOrEqual(x.timing.end);
    // Sub-millisecond: not whole milliseconds (three exact multiples by chance: one in a billion).
    expect([x.timing.start, x.timing.firstByte!, x.timing.end].some((t) => t % 1000 !== 0)).toBe(true);
  });

  it('reports the request when its headers arrive, before its body is complete', async () => {
    const target = await startServer(async (req, out) => out.end(await readBody(req)), res);
    const proxy = await proxyTo(target.url);
    const req = request(`${proxy.url}/slow-upload`, { method: 'POST' });
    req.on('error', () => {});
    req.write('part one');
    const early = await tap.next('request');
    expect(early).toMatchObject({ method: 'POST', url: '/slow-upload' });
    expect(tap.of('exchange')).toHaveLength(0);
    req.end(", part two");
    const [r] = (await once(req, "response")) as [NodeJS.ReadableStream];
    expect((await readBody(r)).toString()).toBe('part one, part two');
    expect((await tap.next('exchange')).exchangeId).toBe(early.exchangeId);
  });
});

describe('HTTP forwarding when the target fails', () => {
  const { res, tap, proxyTo } = proxyFixture();

  it('answers 502 with a one-line JSON error while the target is down, records the failure, and recovers when it is back', async () => {
    const first = new Resources();
    const { port } = await startServer((_req, out) => out.end('up'), first);
    await first.closeAll(); // down: the port refuses
    const proxy = await proxyTo(`http://127.0.0.1:${port}`);
    const down = await send(proxy.url, { path: '/api/me' });
    expect(down.status).toBe(502);
    const text = down.body.toString();
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toMatchObject({ error: 'target unreachable', code: 'ECONNREFUSED' });
    const failed = await tap.next('exchange');
    expect(failed.error?.code).toBe('ECONNREFUSED');
    expect(failed.response?.status).toBe(502);

    await startServer((_req, out) => out.end('back'), res, port); // back where it was
    const up = await send(proxy.url, { path: '/api/me' });
    expect([up.status, up.body.toString()]).toEqual([200, 'back']);
    expect(proxy.stats().upstreamErrors).toBe(1);
  });

  it('answers 502 when the target resets the connection, and 504 when it does not answer in time', async () => {
    const target = await startServer((req, out) => {
      if (req.url === '/reset') req.socket.destroy();
      else if (req.url === '/hang') return; // never answers
      else out.end('fine');
    }, res);
    const proxy = await proxyTo(target.url, { timeoutMs: 300 });
    const reset = await send(proxy.url, { path: '/reset' });
    expect(reset.status).toBe(502);
    expect(JSON.parse(reset.body.toString()).code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    const hang = await send(proxy.url, { path: '/hang' });
    expect(hang.status).toBe(504);
    expect(JSON.parse(hang.body.toString())).toMatchObject({ error: 'target timed out', code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect((await send(proxy.url, { path: '/ok' })).body.toString()).toBe('fine');
    const errors = tap.of('exchange').map((x) => x.error?.code);
    expect(errors).toHaveLength(3);
    expect(errors[2]).toBeUndefined();
  });

  it('cuts the client off when the target dies mid-body, and records the failure', async () => {
    const target = await startServer((req, out) => {
      out.writeHead(200, { 'content-length': '100' });
      out.write('only part', () => req.socket.end());
    }, res);
    const proxy = await proxyTo(target.url);
    await expect(send(proxy.url)).rejects.toThrow();
    const x = await tap.next('exchange');
    expect(x.error).toBeDefined();
    expect(Buffer.from(x.response!.body.bytes).toString()).toBe('only part');
  });

  it('survives a client that resets in the middle of its upload, and tells the target', async () => {
    const targetSawAbort = deferred();
    const gotSome = deferred();
    const target = await startServer((req, out) => {
      if (req.url === '/after') return void out.end('still here');
      req.once('data', () => gotSome.resolve());
      req.on('error', () => targetSawAbort.resolve());
    }, res);
    const proxy = await proxyTo(target.url);
    const req = request(`${proxy.url}/upload`, { method: 'POST', headers: { 'content-length': '100000' } });
    req.on('error', () => {});
    req.write(Buffer.alloc(1000));
    await gotSome.promise;
    req.destroy();
    await targetSawAbort.promise;
    expect((await tap.next('exchange')).error?.code).toBe('CLIENT_ABORTED');
    expect((await send(proxy.url, { path: '/after' })).body.toString()).toBe('still here');
  });

  it('aborts the upstream request when the client goes away and records it as the client’s doing', async () => {
    const upstreamClosed = deferred();
    const target = await startServer((_req, out) => {
      out.writeHead(200);
      out.write('streaming...');
      out.once('close', () => upstreamClosed.resolve());
    }, res);
    const proxy = await proxyTo(target.url);
    const req = request(`${proxy.url}/feed`);
    req.on('error', () => {});
    req.once('response', (r) => r.once('data', () => req.destroy()));
    req.end();
    await upstreamClosed.promise;
    const x = await tap.next('exchange');
    expect(x.error?.code).toBe('CLIENT_ABORTED');
    expect(proxy.stats().upstreamErrors).toBe(0);
  });
});
