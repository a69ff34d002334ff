import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkReachable, refuseOrigin, userTarget } from '../../src/replay/target.js';

describe('targets', () => {
  it('takes an origin and derives the WebSocket origin', () => {
    expect(userTarget({ role: 'primary', url: 'http://127.0.0.1:8080' })).toEqual({ role: 'primary', httpOrigin: 'http://127.0.0.1:8080', wsOrigin: 'ws://127.0.0.1:8080' });
    expect(userTarget({ role: 'candidate', url: 'https://example.org/' }).wsOrigin).toBe('wss://example.org');
    for (const bad of ['nope', 'ftp://x', 'http://x/api', 'http://x/?a=1']) {
      expect(() => userTarget({ role: 'primary', url: bad })).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
    }
  });

  it('refuses the recorded origin (loopback names alike) unless allowed', () => {
    const t = { role: 'primary' as const, url: 'http://localhost:8080' };
    expect(() => refuseOrigin(t, 'http://127.0.0.1:8080', false)).toThrow(/--allow-origin/);
    expect(() => refuseOrigin(t, 'http://127.0.0.1:8080', true)).not.toThrow();
    expect(() => refuseOrigin(t, 'http://127.0.0.1:9090', false)).not.toThrow();
    expect(() => refuseOrigin({ role: 'primary', url: 'http://example.org' }, 'http://example.org:80', false)).toThrow();
  });

  it('checks that a target accepts a connection', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await expect(checkReachable({ role: 'primary', url: `http://127.0.0.1:${port}` })).resolves.toBeUndefined();
    await new Promise((resolve) => server.close(resolve));
    await expect(checkReachable({ role: 'primary', url: `http://127.0.0.1:${port}` })).rejects.toMatchObject({ code: 'REPRISE_TARGET_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
  });
});
