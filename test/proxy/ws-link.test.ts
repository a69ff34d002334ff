import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ProxyServer } from '../../src/proxy/proxy-server.js';
import { Resources, startServer } from './harness.js';

const MESSAGE = Buffer.alloc(64 * 1024, 0x61);
const COUNT = 2048; // 128 MiB: far more than the kernel's socket buffers can hide
const HIGH_WATER = 256 * 1024;

/** Resolves once `amount()` has stayed the same for a few checks in a row (a stalled sender); no event says so. */
async function stalled(amount: () => number, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = -1;
  let same = 0;
  while (same < 4) {
    if (Date.now() > until) throw new Error('the sender never stalled');
    await new Promise((r) => setTimeout(r, 50));
    const now = amount();
    same = now === last && now > 0 ? same + 1 : 0;
    last = now;
  }
}

function countMessages(ws: WebSocket, count: number): Promise<number> {
  return new Promise((resolve) => {
    let n = 0;
    let bytes = 0;
    ws.on('message', (data: Buffer) => {
      bytes += data.length;
      if (++n === count) resolve(bytes);
    });
  });
}

describe('WebSocket backpressure', () => {
  let res: Resources;
  let proxy: ProxyServer;
  let client: WebSocket;
  let far: WebSocket;
  beforeEach(async () => {
    res = new Resources();
    const { server, url } = await startServer((_req, out) => out.end(), res);
    const wss = new WebSocketServer({ server });
    res.add(() => new Promise((r) => wss.close(() => r(undefined))));
    const accepted = once(wss, 'connection');
    proxy = await ProxyServer.start({ target: url, maxBody: 16, wsHighWaterMark: HIGH_WATER });
    res.add(() => proxy.stop(1000));
    client = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`, { perMessageDeflate: false });
    res.add(() => client.terminate());
    await once(client, 'open');
    [far] = (await accepted) as [WebSocket];
    res.add(() => far.terminate());
  });
  afterEach(() => res.closeAll());

  it.each([
    ['a client that does not read, while the target sends fast', 'client'],
    ['a target that does not read, while the client sends fast', 'target'],
  ] as const)('holds the proxy to about its high-water mark for %s', async (_what, slow) => {
    const [sender, reader] = slow === 'client' ? [far, client] : [client, far];
    reader.pause();
    for (let i = 0; i < COUNT; i++) sender.send(MESSAGE);
    await stalled(() => sender.bufferedAmount);

    const stats = proxy.stats();
    const bound = HIGH_WATER + 4 * MESSAGE.length;
    expect(stats.wsPeakBufferedBytes).toBeGreaterThan(HIGH_WATER); // it did come under pressure...
    expect(stats.wsPeakBufferedBytes).toBeLessThanOrEqual(bound); // ...and held
    expect(stats.wsBufferedBytes).toBeLessThanOrEqual(bound);
    // The rest waits at the sender: the proxy pushed back instead of taking it in.
    expect(sender.bufferedAmount).toBeGreaterThan(COUNT * MESSAGE.length - 64 * 1024 * 1024);

    const all = countMessages(reader, COUNT);
    reader.resume();
    expect(await all).toBe(COUNT * MESSAGE.length);
    expect(proxy.stats().wsBufferedBytes).toBe(0);
  });
});
