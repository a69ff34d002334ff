import type { Writable } from 'node:stream';

/**
 * Writes text and resolves once the stream has taken it: true, or false when the reader has gone
 * (`reprise show NAME | head` closing the pipe), so a long listing stops there. Waiting on each
 * write also keeps a large listing from piling up in memory ahead of a slow reader.
 */
export function writeText(out: NodeJS.WritableStream, text: string): Promise<boolean> {
  if ((out as Writable).destroyed) return Promise.resolve(false);
  return new Promise((resolve) => out.write(text, (error) => resolve(!error)));
}
