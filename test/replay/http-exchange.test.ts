import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { statusFailure } from '../../src/replay/http-exchange.js';
import { replayAgainst, tempRootPerTest, type ScriptSession } from './fixtures.js';

async function httpTarget(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const one = (step: Partial<Extract<ScriptSession['steps'][number], { http: string }>> = {}): ScriptSession[] => [
  { id: 's', start: 0, steps: [{ http: 'POST /api/things?x=1', at: 0, json: { a: 1 }, headers: [['x-custom', 'v'], ['connection', 'close']], ...step }] },
];

describe('replayed HTTP exchanges', () => {
  const root = tempRootPerTest();
  let target: { url: string; close: () => Promise<void> } | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('sends the recorded method, path, headers and body, hop-by-hop headers dropped', async () => {
    let seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string } | undefined;
    target = await httpTarget((req, res, body) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.end('{"ok":true}');
    });
    const { results, report } = await replayAgainst(root.root, one(), target.url);
    expect(seen).toMatchObject({ method: 'POST', url: '/api/things?x=1', body: '{"a":1}', headers: { 'x-custom': 'v', 'content-type': 'application/json' } });
    expect(seen!.headers.host).toBe(new URL(target.url).host);
    expect(seen!.headers.connection).not.toBe('close');
    const x = results[0]!.exchanges[0]!;
    expect(x).toMatchObject({ seq: 1, method: 'POST', status: 200, recordedStatus: 200, bodySize: 11 });
    expect(x.failure).toBeUndefined();
    expect(x.latencyMs).toBeGreaterThanOrEqual(x.ttfbMs!);
    expect(x.body).toBeUndefined(); // kept only with retain (compare)
    expect(report.endpoints.map((e) => e.endpoint)).toEqual(['POST /api/things']);
  });

  it('keeps headers and body in the result with retain', async () => {
    target = await httpTarget((_req, res) => res.writeHead(201, { 'x-r': '1' }).end('made'));
    const { results } = await replayAgainst(root.root, one({ status: 201 }), target.url, { retain: true });
    const x = results[0]!.exchanges[0]!;
    expect(Buffer.from(x.body!).toString()).toBe('made');
    expect(x.headers).toContainEqual(['x-r', '1']);
  });

  it('fails an exchange whose status class changed', async () => {
    target = await httpTarget((_req, res) => res.writeHead(503).end());
    const { results, report } = await replayAgainst(root.root, one(), target.url);
    expect(results[0]!.exchanges[0]!).toMatchObject({ status: 503, failure: 'status 2xx -> 5xx' });
    expect(report.exchanges).toEqual({ total: 1, succeeded: 0, failed: 1 });
  });

  it('fails an exchange that outlives --timeout, and one whose connection breaks', async () => {
    target = await httpTarget((req, res) => {
      if (req.url!.startsWith('/break')) res.socket!.destroy();
      // otherwise: never answers
    });
    const sessions: ScriptSession[] = [
      { id: 'slow', start: 0, steps: [{ http: 'GET /hang', at: 0 }] },
      { id: 'broken', start: 0, steps: [{ http: 'GET /break', at: 0 }] },
    ];
    const { results } = await replayAgainst(root.root, sessions, target.url, { timeoutMs: 150 });
    const byId = Object.fromEntries(results.map((r) => [r.sessionId, r.exchanges[0]!]));
    expect(byId.slow).toMatchObject({ failure: 'timeout', error: { code: 'UND_ERR_HEADERS_TIMEOUT' } });
    expect(byId.broken!.failure).toMatch(/^transport /);
    expect(byId.broken!.status).toBeUndefined();
  });

  it('judges status classes, and accepts anything where the recording had a transport error', () => {
    expect(statusFailure(200, 204)).toBeUndefined();
    expect(statusFailure(200, 404)).toBe('status 2xx -> 4xx');
    expect(statusFailure(401, 200)).toBe('status 4xx -> 2xx');
    expect(statusFailure(undefined, 500)).toBeUndefined();
  });
});
