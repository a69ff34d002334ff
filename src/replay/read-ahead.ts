/**
 * Reads a session's events from the store ahead of the virtual user, a bounded number at a
 * time. Pulling them one by one between requests costs more than pulling them in runs: the
 * reader then runs in bursts while the user waits on the network, and the user takes its next
 * event without a trip through the store's async iterators.
 */
export class ReadAhead<T> {
  private items: T[] = [];
  private head = 0;
  private ended = false;
  private stopped = false;
  private failure: { error: unknown } | undefined;
  private wakeReader: (() => void) | undefined;
  private wakeUser: (() => void) | undefined;

  constructor(
    source: AsyncIterable<T>,
    private readonly size: number,
  ) {
    void this.fill(source);
  }

  /** The next item if one is buffered (undefined otherwise: then `wait`). */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head >= this.size) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.wakeReader && this.items.length - this.head <= this.size / 2) {
      const wake = this.wakeReader;
      this.wakeReader = undefined;
      wake();
    }
    return item;
  }

  /** Resolves true once an item is buffered, false at the end; rejects if reading failed. */
  async wait(): Promise<boolean> {
    while (this.head >= this.items.length) {
      if (this.failure) throw this.failure.error;
      if (this.ended) return false;
      await new Promise<void>((resolve) => (this.wakeUser = resolve));
    }
    return true;
  }

  /** Stops reading (closing the store's iterator) and drops what was buffered. */
  stop(): void {
    this.stopped = true;
    this.items = [];
    this.head = 0;
    this.wakeReader?.();
  }

  private async fill(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of source) {
        if (this.stopped) break;
        this.items.push(item);
        this.notifyUser();
        if (this.items.length - this.head >= this.size) await new Promise<void>((resolve) => (this.wakeReader = resolve));
        if (this.stopped) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.notifyUser();
    }
  }

  private notifyUser(): void {
    const wake = this.wakeUser;
    this.wakeUser = undefined;
    wake?.();
  }
}

/** The same three calls over a list already in memory, which it never changes (it may be shared). */
export class ListCursor<T> {
  private next = 0;

  constructor(private readonly items: readonly T[]) {}

  shift(): T | undefined {
    return this.next < this.items.length ? this.items[this.next++] : undefined;
  }

  wait(): Promise<boolean> {
    return Promise.resolve(this.next < this.items.length);
  }

  stop(): void {
    this.next = this.items.length;
  }
}
