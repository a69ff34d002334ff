import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** The small JSON answer every benchmark target gives. */
export const BODY = JSON.stringify({ id: 42, name: 'ada', roles: ['user'], ok: true });

/**
 * The fast local target the benchmarks share: HTTP keep-alive answering BODY, and a WebSocket
 * echo. It runs in a process of its own so it never competes with what is measured for the
 * event loop. Resolves with its base URL.
 */
export async function startFastTarget(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }).end(BODY);
  });
  server.keepAliveTimeout = 60_000;
  new WebSocketServer({ server }).on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
