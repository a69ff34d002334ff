import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import { chatJourney, replayAgainst, tempRootPerTest, type ScriptSession } from './fixtures.js';

describe('virtual users', () => {
  const root = tempRootPerTest();
  let server: Server | undefined;
  let backend: ChatBackend | undefined;
  afterEach(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    await backend?.close();
    server = undefined;
    backend = undefined;
  });

  /** Logs each request's arrival and answer; /hold waits until /release arrives. */
  async function ordering(): Promise<{ url: string; log: string[] }> {
    const log: string[] = [];
    let release: (() => void) | undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    server = createServer((req, res) => {
      log.push(`in ${req.url}`);
      const answer = (): void => {
        log.push(`out ${req.url}`);
        res.end('{}');
      };
      if (req.url === '/hold') void released.then(answer);
      else {
        if (req.url === '/release') release!();
        setTimeout(answer, 20);
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
  }

  it('waits for a request that ended before the next one started, even at --speed max', async () => {
    const target = await ordering();
    const session: ScriptSession = { id: 's', start: 0, steps: [{ http: 'GET /first', at: 0, ms: 5 }, { http: 'GET /second', at: 50 }, { http: 'GET /third', at: 60 }] };
    const { results } = await replayAgainst(root.root, [session], target.url, { speed: Number.POSITIVE_INFINITY });
    expect(target.log).toEqual(['in /first', 'out /first', 'in /second', 'out /second', 'in /third', 'out /third']);
    expect(results[0]!.ok).toBe(true);
  });

  it('replays requests that overlapped in the recording concurrently, on connections of their own', async () => {
    const target = await ordering();
    // /hold was still running when /release started: replayed, /release must not wait for it.
    const session: ScriptSession = { id: 's', start: 0, steps: [{ http: 'GET /hold', at: 0, ms: 100 }, { http: 'GET /release', at: 10, ms: 5 }] };
    const { results } = await replayAgainst(root.root, [session], target.url, { speed: Number.POSITIVE_INFINITY });
    expect(target.log.slice(0, 2)).toEqual(['in /hold', 'in /release']);
    expect(results[0]!.exchanges.map((x) => x.seq)).toEqual([1, 2]);
  });

  it('correlates login -> me -> chat at --speed max: requests still wait for the responses they need', async () => {
    backend = await startChatBackend({ slots: 10, inferMs: 1 });
    const sessions = [0, 1, 2, 3].map((i) => chatJourney({ id: `s${i}`, start: 0, user: `u${i}`, messages: ['a', 'b'] }));
    const { results, report } = await replayAgainst(root.root, sessions, backend.url, { speed: Number.POSITIVE_INFINITY });
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(report.unreplacedValues).toBe(0);
  });
});
