import type { SessionResult } from '../model/run.js';
import type { ResultWriter } from '../store/recording-store.js';

/**
 * Hands results to the store's writer in handfuls. The writer starts a store batch on the next
 * turn of the event loop after a put; at 1,000 sessions a second that would be a batch per
 * result. Gathered for a few milliseconds, they go as one batch, which costs the event loop
 * (and so the schedule) far less.
 */
export class ResultSink {
  private pending: SessionResult[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: ResultWriter,
    private readonly windowMs = 25,
    private readonly maxPending = 256,
  ) {}

  put(result: SessionResult): void {
    this.pending.push(result);
    if (this.pending.length >= this.maxPending) this.hand();
    else this.timer ??= setTimeout(() => this.hand(), this.windowMs);
  }

  async flush(): Promise<void> {
    this.hand();
    await this.writer.flush();
  }

  dropped(): number {
    return this.writer.batched.stats().dropped;
  }

  private hand(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const results = this.pending;
    this.pending = [];
    for (const r of results) this.writer.put(r);
  }
}
