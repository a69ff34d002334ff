import { createServer, type Server } from 'node:http';
import { listen, serverUrl } from '../proxy/listen.js';
import type { HostPort } from './host-port.js';
import type { RecorderMetrics } from './metrics.js';

/** `--admin`: GET /healthz and GET /metrics (Prometheus text); nothing else, and off by default. */
export class AdminServer {
  readonly url: string;

  private constructor(private readonly server: Server) {
    this.url = serverUrl(server);
  }

  static async start(at: HostPort, metrics: RecorderMetrics, health: () => Record<string, unknown>): Promise<AdminServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ status: 'ok', ...health() })}\n`);
      } else if (path === '/metrics') {
        metrics.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(`${JSON.stringify({ error: 'not found', paths: ['/healthz', '/metrics'] })}\n`);
      }
    });
    await listen(server, at.host, at.port, 'admin endpoint');
    return new AdminServer(server);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
