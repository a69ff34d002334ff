import type { Body } from '../model/event.js';

/**
 * Keeps the first `limit` bytes of a body as it streams past and counts the rest. Forwarding
 * never waits on it and is never capped by it.
 */
export class BodyCapture {
  private chunks: Buffer[] = [];
  private kept = 0;
  size = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.size += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** A copy, so the body does not pin the socket's larger read buffers. */
  body(): Body {
    const bytes = this.chunks.length === 0 ? EMPTY : Buffer.concat(this.chunks, this.kept);
    return { bytes, size: this.size, truncated: this.size > this.kept };
  }
}

const EMPTY = new Uint8Array(0);

export function emptyBody(): Body {
  return { bytes: EMPTY, size: 0, truncated: false };
}
