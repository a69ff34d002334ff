export interface SlicedQueueOptions {
  /** Items waiting; past either bound `push` refuses. */
  maxItems: number;
  maxBytes: number;
  /** Work done per turn of the event loop before other callbacks (forwarding) get it back. */
  sliceMs: number;
  /** How long items gather before the first slice: batches cost less per item than single ones. */
  gatherMs: number;
}

/**
 * A bounded queue drained off the caller's path: `push` only stores the item, and `process`
 * runs later, in slices of at most sliceMs per turn of the event loop, after each of which
 * `afterSlice` runs once. A queue that is full refuses items (the caller counts them) rather
 * than growing.
 */
export class SlicedQueue<T> {
  private items: (T | undefined)[] = [];
  /** What each item was counted as against maxBytes, in step with `items`. */
  private costs: number[] = [];
  private head = 0;
  private bytes = 0;
  private scheduled = false;

  constructor(
    private readonly options: SlicedQueueOptions,
    /** Gets each item with the cost it was pushed with, so the caller need not work it out again. */
    private readonly process: (item: T, cost: number) => void,
    private readonly afterSlice: () => void,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** False when the queue is full: the item was not taken. */
  push(item: T, cost: number): boolean {
    if (this.size >= this.options.maxItems || this.bytes + cost > this.options.maxBytes) return false;
    this.items.push(item);
    this.costs.push(cost);
    this.bytes += cost;
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.turn(), this.options.gatherMs);
    }
    return true;
  }

  /** Processes everything now (a stop that flushes). */
  drain(): void {
    this.slice(Number.POSITIVE_INFINITY);
    this.afterSlice();
  }

  private turn(): void {
    this.scheduled = false;
    this.slice(this.options.sliceMs);
    this.afterSlice();
    if (this.size > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.turn());
    }
  }

  private slice(budgetMs: number): void {
    const until = performance.now() + budgetMs;
    let n = 0;
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      this.items[this.head] = undefined; // let it be collected
      const cost = this.costs[this.head++]!;
      this.bytes -= cost;
      this.process(item, cost);
      // Reading the clock every few items keeps its cost out of the per-item path.
      if (++n % 16 === 0 && performance.now() >= until) break;
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.costs = [];
      this.head = 0;
      this.bytes = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
  }
}
