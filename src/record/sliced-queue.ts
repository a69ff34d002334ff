import type { TimeSlices } from '../store/time-slices.js';

export interface SlicedQueueOptions {
  /** Items waiting; past either bound `push` refuses. */
  maxItems: number;
  maxBytes: number;
  /** How long items gather before they are processed, so a slice takes a few at a time. */
  gatherMs: number;
}

/** An item is a few µs (a WebSocket message under one): a step of a few keeps the slices' own cost out of the per-item path. */
const ITEMS_PER_STEP = 8;

/**
 * A bounded queue drained off the caller's path: `push` only stores the item, and `process`
 * runs later, a few items per step of a job on the given time slices. A queue that is full refuses
 * items (the caller counts them) rather than growing.
 */
export class SlicedQueue<T> {
  private items: (T | undefined)[] = [];
  /** What each item was counted as against maxBytes, in step with `items`. */
  private costs: number[] = [];
  private head = 0;
  private bytes = 0;
  /** A job is on its way: its gather timer is set or it is running. */
  private scheduled = false;

  constructor(
    private readonly options: SlicedQueueOptions,
    private readonly slices: TimeSlices,
    /** Gets each item with the cost it was pushed with, so the caller need not work it out again. */
    private readonly process: (item: T, cost: number) => void,
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
      setTimeout(() => this.slices.run(this.step), this.options.gatherMs);
    }
    return true;
  }

  /** Processes everything now (a stop that flushes). */
  drain(): void {
    while (this.size > 0) this.next();
    this.compact();
  }

  private readonly step = (): boolean => {
    for (let n = 0; n < ITEMS_PER_STEP && this.size > 0; n++) this.next();
    this.compact();
    if (this.size > 0) return true;
    this.scheduled = false;
    return false;
  };

  private next(): void {
    const item = this.items[this.head]!;
    this.items[this.head] = undefined; // let it be collected
    const cost = this.costs[this.head++]!;
    this.bytes -= cost;
    this.process(item, cost);
  }

  private compact(): void {
    if (this.head > 0 && this.head === this.items.length) {
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
