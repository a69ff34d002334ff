import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { replayAgainst, tempRootPerTest, type ScriptSession } from './fixtures.js';

/** A WebSocket target whose behaviour each test writes; it logs what it saw, in order. */
async function wsTarget(onConnection: (ws: WebSocket, log: string[]) => void, refuse?: number): Promise<{ url: string; log: string[]; close: () => Promise<void> }> {
  const log: string[] = [];
  const server: Server = createServer((_req, res) => res.end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (refuse) {
      socket.end(`HTTP/1.1 ${refuse} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => log.push(`got ${data.toString()}`));
      onConnection(ws, log);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Recorded: ready at once, one message, its reply, then the client closes. */
const chat = (extra: ScriptSession['steps'] = []): ScriptSession[] => [
  {
    id: 's',
    start: 0,
    steps: [
      { wsOpen: '/ws', id: 'w', at: 0 },
      { ws: 'w', at: 1, server: { type: 'ready' } },
      { ws: 'w', at: 20, client: { type: 'message', text: 'hi' } },
      { ws: 'w', at: 30, server: { type: 'reply', text: 'echo: hi' } },
      ...extra,
      { wsClose: 'w', at: 60, code: 1000, by: 'client' },
    ],
  },
];

const reply = (ws: WebSocket): void => {
  ws.on('message', () => ws.send(JSON.stringify({ type: 'reply', text: 'echo: hi' })));
};

describe('WebSocket lanes', () => {
  const root = tempRootPerTest();
  let target: Awaited<ReturnType<typeof wsTarget>> | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('plays a connection as recorded: messages, replies, a clean client close', async () => {
    target = await wsTarget((ws) => {
      ws.send(JSON.stringify({ type: 'ready' }));
      reply(ws);
    });
    const { results, report } = await replayAgainst(root.root, chat(), target.url, { speed: 10 });
    const ws = results[0]!.websockets[0]!;
    expect(ws.failure).toBeUndefined();
    expect(ws).toMatchObject({ status: 101, sent: 1, recordedServerMessages: 2, close: { code: 1000, by: 'client' } });
    expect(ws.received).toHaveLength(2);
    expect(report.endpoints.map((e) => e.endpoint)).toEqual(['WS /ws']);
  });

  it('a client message waits for the replayed counterpart of the server message it followed', async () => {
    target = await wsTarget((ws, log) => {
      reply(ws);
      setTimeout(() => {
        log.push('sent ready');
        ws.send(JSON.stringify({ type: 'ready' }));
      }, 150);
    });
    const { results } = await replayAgainst(root.root, chat(), target.url, { speed: Number.POSITIVE_INFINITY });
    expect(target.log).toEqual(['sent ready', 'got {"type":"message","text":"hi"}']);
    expect(results[0]!.ok).toBe(true);
  });

  it('--ws-key pairs by field where shapes alike would pair the wrong message', async () => {
    const queueFirst = (ws: WebSocket, log: string[]): void => {
      ws.send(JSON.stringify({ type: 'queued' }));
      reply(ws);
      const later = setTimeout(() => {
        log.push('sent ready');
        ws.send(JSON.stringify({ type: 'ready' }));
      }, 100);
      ws.on('close', () => clearTimeout(later));
    };
    target = await wsTarget(queueFirst);
    await replayAgainst(root.root, chat(), target.url, { speed: 10 });
    // By shape, {"type":"queued"} stands in for the recorded {"type":"ready"}: the message goes early.
    expect(target.log[0]).toBe('got {"type":"message","text":"hi"}');
    target.log.length = 0;
    await replayAgainst(root.root, chat(), target.url, { speed: 10, wsKey: '$.type' });
    expect(target.log).toEqual(['sent ready', 'got {"type":"message","text":"hi"}']);
  });

  it('counts a counterpart that never comes as a failure after the timeout, and stops the script', async () => {
    target = await wsTarget(() => undefined);
    const { results } = await replayAgainst(root.root, chat(), target.url, { timeoutMs: 150 });
    const ws = results[0]!.websockets[0]!;
    expect(ws.failure).toBe('ws timeout waiting for server message');
    expect(ws.sent).toBe(0);
    expect(target.log).toEqual([]);
  });

  it.each([
    ['terminated (1006)', (ws: WebSocket) => ws.on('message', () => ws.terminate()), 'ws closed abnormally (1006)'],
    ['closed with 1011', (ws: WebSocket) => ws.on('message', () => ws.close(1011, 'boom')), 'ws closed abnormally (1011)'],
  ])('counts a connection %s as failed', async (_name, behave, failure) => {
    target = await wsTarget((ws) => {
      ws.send(JSON.stringify({ type: 'ready' }));
      behave(ws);
    });
    const { results, report } = await replayAgainst(root.root, chat(), target.url, { speed: 10 });
    expect(results[0]!.websockets[0]!.failure).toBe(failure);
    expect(report.sessions.failed).toBe(1);
    expect(report.failures).toEqual([{ reason: failure, count: 1 }]);
  });

  it('counts a normal close earlier than recorded as failed', async () => {
    target = await wsTarget((ws) => {
      ws.send(JSON.stringify({ type: 'ready' }));
      ws.on('message', () => {
        ws.send(JSON.stringify({ type: 'reply', text: 'echo: hi' }));
        ws.close(1000, 'done');
      });
    });
    const steps: ScriptSession['steps'] = [{ ws: 'w', at: 40, client: { type: 'message', text: 'again' } }];
    const { results } = await replayAgainst(root.root, chat(steps), target.url, { speed: 10 });
    expect(results[0]!.websockets[0]!.failure).toBe('ws closed early by server (1000)');
  });

  it('counts fewer server messages than recorded as failed', async () => {
    target = await wsTarget((ws) => ws.send(JSON.stringify({ type: 'ready' })));
    const session: ScriptSession = {
      id: 's',
      start: 0,
      steps: [
        { wsOpen: '/ws', id: 'w', at: 0 },
        { ws: 'w', at: 1, server: { type: 'ready' } },
        { ws: 'w', at: 2, server: { type: 'news', n: 1 } },
      ],
    };
    const { results } = await replayAgainst(root.root, [session], target.url, { timeoutMs: 150 });
    expect(results[0]!.websockets[0]!).toMatchObject({ failure: 'ws fewer server messages than recorded', received: [expect.anything()] });
  });

  it('counts a refused handshake as failed, with its status', async () => {
    target = await wsTarget(() => undefined, 401);
    const { results } = await replayAgainst(root.root, chat(), target.url);
    expect(results[0]!.websockets[0]!).toMatchObject({ status: 401, failure: 'ws handshake refused (401)', sent: 0 });
  });
});
