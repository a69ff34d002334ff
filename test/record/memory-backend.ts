import type { BatchOp, KeyValueBackend } from '../../src/store/backend.js';
import type { Event } from '../../src/model/index.js';
import { decode } from '../../src/store/codec.js';
import { untabulated, type ChunkItem } from '../../src/store/chunk-tables.js';

/**
 * A sorted in-memory KeyValueBackend that can be told to fail or to hold batches back, so a
 * test can break or stall the store underneath a running recorder.
 */
export class MemoryBackend implements KeyValueBackend {
  readonly data = new Map<string, Uint8Array>();
  failing = false;
  batches = 0;
  private held: (() => void)[] | undefined;

  /** From now on every batch waits until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const go of waiting) go();
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.data.get(key);
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    if (this.held) await new Promise<void>((go) => this.held!.push(go));
    if (this.failing) throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
    this.batches++;
    for (const op of ops) {
      if (op.type === 'put') this.data.set(op.key, op.value);
      else this.data.delete(op.key);
    }
  }

  async *entries(range: { gte: string; lt: string; limit?: number }): AsyncIterable<[string, Uint8Array]> {
    let n = 0;
    for (const key of [...this.data.keys()].sort()) {
      if (key < range.gte || key >= range.lt) continue;
      if (range.limit !== undefined && n++ >= range.limit) return;
      yield [key, this.data.get(key)!];
    }
  }

  async *keys(range: { gte: string; lt: string; limit?: number }): AsyncIterable<string> {
    for await (const [key] of this.entries(range)) yield key;
  }

  async close(): Promise<void> {}

  /** Keys under a prefix (e.g. 'e!' for every event). */
  count(prefix: string): number {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).length;
  }

  /** Events stored: a value under 'e!' holds one event or a chunk (an array) of them. */
  events(): number {
    let n = 0;
    for (const [key, value] of this.data) {
      if (!key.startsWith('e!')) continue;
      const decoded = decode<Event | ChunkItem[]>(value);
      n += Array.isArray(decoded) ? untabulated(decoded).length : 1;
    }
    return n;
  }
}
