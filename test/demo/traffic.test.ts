import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import { generateTraffic, planVisits, TRAFFIC_DEFAULTS } from '../../src/demo/traffic.js';

describe('generateTraffic', () => {
  let backend: ChatBackend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('runs every user through its journey against the sample backend', async () => {
    backend = await startChatBackend({ slots: 2, inferMs: 1 });
    const options = { target: backend.url, users: 8, spreadMs: 200, thinkMs: [1, 10] as [number, number], seed: 3 };
    const result = await generateTraffic(options);
    const plan = planVisits({ ...TRAFFIC_DEFAULTS, ...options });
    expect(result.failures).toEqual([]);
    expect(result.completed).toBe(8);
    expect(result.authenticated).toBe(plan.filter((v) => v.authenticated).length);
    expect(result.messages).toBe(plan.reduce((n, v) => n + v.thinks.length - 1, 0));
  });

  it('mixes logged-in users and guests, the same way for the same seed', () => {
    const a = planVisits({ ...TRAFFIC_DEFAULTS, users: 40 });
    const b = planVisits({ ...TRAFFIC_DEFAULTS, users: 40 });
    expect(a).toEqual(b);
    const authenticated = a.filter((v) => v.authenticated).length;
    expect(authenticated).toBeGreaterThan(10);
    expect(authenticated).toBeLessThan(35);
    expect(new Set(a.map((v) => v.name)).size).toBe(40);
    expect(a.every((v) => v.thinks.length >= 3 && v.thinks.length <= 5)).toBe(true);
  });

  it('reports a user the server turns away instead of throwing', async () => {
    // A server that refuses every login: the authenticated users fail, the guests do not get far either.
    const server = createServer((_req, res) => res.writeHead(503).end('{}'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const result = await generateTraffic({ target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, users: 3, spreadMs: 0 });
      expect(result.completed).toBe(0);
      expect(result.failures).toHaveLength(3);
      expect(result.failures[0]!.error).toMatch(/: 503$/);
    } finally {
      server.close();
    }
  });
});
