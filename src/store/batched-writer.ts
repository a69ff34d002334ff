import type { BatchOp, KeyValueBackend } from './backend.js';
import { encode } from './codec.js';

export interface WriterOptions {
  /** Bytes allowed to wait for the store; past this, new entries are dropped, not queued. */
  maxPendingBytes?: number;
  /**
   * Entries and bytes per LevelDB batch (a batch takes at least one entry). LevelDB copies a
   * batch in on the main thread, about 3 µs per entry and 2 µs per KB: forwarding waits meanwhile.
   */
  maxBatch?: number;
  maxBatchBytes?: number;
  /** Called once for the first failure of each kind, so a failing store logs one line, not thousands. */
  onFirstError?: (error: Error) => void;
}

export interface WriterStats {
  /** Values waiting (a chunk of events is one); written and dropped count items. */
  pending: number;
  pendingBytes: number;
  written: number;
  dropped: number;
  failedBatches: number;
}

/**
 * Takes writes off the caller's path: `put` encodes and queues and returns at once; batches go to
 * the store in the background. Memory is bounded by maxPendingBytes, and a store that is slow
 * or broken costs dropped entries (counted), never a stalled caller.
 */
export class BatchedWriter {
  private readonly maxPendingBytes: number;
  private readonly maxBatch: number;
  private readonly maxBatchBytes: number;
  private readonly onFirstError: ((error: Error) => void) | undefined;
  /**
   * Keyed so that a value rewritten before it is flushed (a growing session) is written once.
   * `weight` is how many items the value holds (a chunk of events), for the written and dropped counts.
   */
  private pending = new Map<string, { bytes: Uint8Array; weight: number }>();
  private pendingBytes = 0;
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private readonly counts = { written: 0, dropped: 0, failedBatches: 0 };
  private readonly errorsSeen = new Set<string>();

  constructor(
    private readonly backend: KeyValueBackend,
    options: WriterOptions = {},
  ) {
    this.maxPendingBytes = options.maxPendingBytes ?? 64 * 1024 * 1024;
    this.maxBatch = options.maxBatch ?? 64;
    this.maxBatchBytes = options.maxBatchBytes ?? 128 * 1024;
    this.onFirstError = options.onFirstError;
  }

  /** Queues a value; false when it was dropped because too much is already waiting. */
  put(key: string, value: unknown): boolean {
    const bytes = encode(value);
    const growth = bytes.byteLength - (this.pending.get(key)?.bytes.byteLength ?? 0);
    if (!this.reserve(growth)) return false;
    this.pending.set(key, { bytes, weight: 1 });
    this.schedule();
    return true;
  }

  /**
   * Counts bytes against the budget before their value is queued (events waiting for their
   * chunk); false, and one item dropped, when they do not fit.
   */
  reserve(bytes: number): boolean {
    if (this.pendingBytes + bytes > this.maxPendingBytes) {
      this.counts.dropped++;
      return false;
    }
    this.pendingBytes += bytes;
    return true;
  }

  /** Queues an encoded value of `weight` items reserved at their estimates; `unreserved` is what it differs by (may be negative). */
  putEncoded(key: string, bytes: Uint8Array, weight: number, unreserved: number): void {
    this.pendingBytes += unreserved;
    this.pending.set(key, { bytes, weight });
    this.schedule();
  }

  stats(): WriterStats {
    return { pending: this.pending.size, pendingBytes: this.pendingBytes, ...this.counts };
  }

  /** Resolves once everything queued so far has been written or counted as dropped. */
  async flush(): Promise<void> {
    while (this.flushing || this.pending.size > 0) {
      if (!this.flushing) this.startFlush();
      await this.flushing;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // setImmediate lets a burst of puts from one tick land in one batch.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.flushing) this.startFlush();
    });
  }

  private startFlush(): void {
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      if (this.pending.size > 0) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const ops: BatchOp[] = [];
      let bytes = 0;
      let weight = 0;
      for (const [key, value] of this.pending) {
        ops.push({ type: 'put', key, value: value.bytes });
        bytes += value.bytes.byteLength;
        weight += value.weight;
        this.pending.delete(key);
        if (ops.length >= this.maxBatch || bytes >= this.maxBatchBytes) break;
      }
      try {
        await this.backend.batch(ops);
        this.counts.written += weight;
      } catch (error) {
        this.counts.dropped += weight;
        this.counts.failedBatches++;
        this.reportOnce(error as Error);
      } finally {
        this.pendingBytes -= bytes;
      }
    }
  }

  private reportOnce(error: Error): void {
    const kind = (error as { code?: string }).code ?? error.message;
    if (this.errorsSeen.has(kind)) return;
    this.errorsSeen.add(kind);
    this.onFirstError?.(error);
  }
}
