import { queryJson, type PathSegment } from '../model/json-path.js';
import type { Opcode } from '../model/event.js';

/**
 * How a replayed server message is matched to the recorded one a client message waited for.
 * With --ws-key (`$.type`) the key is that field's value; otherwise (or when the field is
 * missing) it is the message's shape: its JSON top-level field names, or text / binary. The
 * counterpart of the n-th recorded message with a key is the n-th replayed message with that
 * key, so a `queued` the recording never saw does not stand in for the `ready` it did.
 */
export type MessageKey = (opcode: Opcode, data: Uint8Array) => string;

export function messageKey(wsKey?: readonly PathSegment[]): MessageKey {
  return (opcode, data) => {
    if (opcode === 'binary') return 'binary';
    const parsed = parse(data);
    if (parsed === undefined) return 'text';
    if (wsKey) {
      const value = queryJson(parsed, wsKey)[0];
      if (value !== undefined) return `key:${JSON.stringify(value)}`;
    }
    return shapeOf(parsed);
  };
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return `object:${Object.keys(value).sort().join(',')}`;
  return typeof value;
}

function parse(data: Uint8Array): unknown {
  const first = data[0];
  // Only `{` or `[` count: a bare string or number is a text message, not a structure.
  if (first !== 0x7b && first !== 0x5b) return undefined;
  try {
    return JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Arrival times of replayed server messages per key, and one waiter for the next counterpart. */
export class Counterparts {
  private readonly arrivals = new Map<string, number[]>();
  private waiter: { key: string; occurrence: number; resolve: (ms: number | undefined) => void } | undefined;
  private closed = false;

  arrived(key: string, atMs: number): void {
    const list = this.arrivals.get(key);
    if (list) list.push(atMs);
    else this.arrivals.set(key, [atMs]);
    const w = this.waiter;
    if (w && w.key === key && this.arrivals.get(key)!.length > w.occurrence) {
      this.waiter = undefined;
      w.resolve(this.arrivals.get(key)![w.occurrence]);
    }
  }

  /** Resolves with the counterpart's arrival (monotonic ms), or undefined on timeout or cancel. */
  wait(key: string, occurrence: number, timeoutMs: number): Promise<number | undefined> {
    const at = this.arrivals.get(key)?.[occurrence];
    if (at !== undefined || this.closed) return Promise.resolve(at);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(undefined), timeoutMs);
      this.waiter = {
        key,
        occurrence,
        resolve: (ms) => {
          clearTimeout(timer);
          resolve(ms);
        },
      };
    });
  }

  /** The connection closed: nothing more will arrive, so no wait outlasts it. */
  close(): void {
    this.closed = true;
    this.settle(undefined);
  }

  private settle(ms: number | undefined): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve(ms);
  }
}
