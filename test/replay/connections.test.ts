import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { UserConnections } from '../../src/replay/connections.js';

describe('UserConnections', () => {
  let server: Server;
  let url: string;
  const sockets = new Set<string>();
  let release: (() => void) | undefined;
  beforeEach(async () => {
    sockets.clear();
    server = createServer((req, res) => {
      sockets.add(`${req.socket.remotePort}`);
      if (req.url === '/hold') new Promise<void>((resolve) => (release = resolve)).then(() => res.end('held'));
      else res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (d: Dispatcher, path: string) => d.request({ path, method: 'GET' }).then((r) => r.body.text());

  it('reuses one connection for sequential requests and opens another only for overlapping ones', async () => {
    const c = new UserConnections(url, { pipelining: 1 }, 6);
    expect(await c.use((d) => get(d, '/a'))).toBe('ok');
    expect(await c.use((d) => get(d, '/b'))).toBe('ok');
    expect(sockets.size).toBe(1);
    const held = c.use((d) => get(d, '/hold'));
    expect(await c.use((d) => get(d, '/c'))).toBe('ok'); // not stuck behind /hold
    expect(sockets.size).toBe(2);
    release!();
    expect(await held).toBe('held');
    await c.destroy();
  });
});
