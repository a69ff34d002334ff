import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Writes an HTTP/1.1 response head straight to a socket: for upgrade requests and unparseable
 * ones, where node gives the proxy a socket and no ServerResponse. `headers` is flat
 * ([name, value, ...]).
 */
export function writeRawHead(socket: Duplex, status: number, statusMessage: string, headers: readonly string[]): void {
  let head = `HTTP/1.1 ${status} ${statusMessage || STATUS_CODES[status] || ''}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  socket.write(`${head}\r\n`);
}

/** A whole short response (the proxy's own 400/502/504), then the connection is closed. */
export function endRaw(socket: Duplex, status: number, body: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  writeRawHead(socket, status, '', [
    'Content-Type',
    'application/json',
    'Content-Length',
    String(Buffer.byteLength(body)),
    'Connection',
    'close',
  ]);
  socket.end(body);
  socket.once('finish', () => socket.destroy());
}
