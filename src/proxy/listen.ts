import type { Server } from 'node:http';
import { RepriseError } from '../model/errors.js';

/** Listens, turning EADDRINUSE and the like into one clear line. */
export function listen(server: Server, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void =>
      reject(new RepriseError('REPRISE_LISTEN', `cannot listen on ${host}:${port} (${what}): ${error.code ?? error.message}`));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** http://host:port of a listening server, with brackets for IPv6. */
export function serverUrl(server: Server): string {
  const { address, port } = server.address() as { address: string; port: number };
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
