import { OldestFirstMap } from '../model/oldest-first-map.js';

/**
 * A Map that keeps at most `capacity` entries, forgetting the one set longest ago. Setting a key
 * again makes it the newest, so callers refresh what they use. The stitcher's indexes are built
 * on it: a recording can run for days, and none of them may grow with it.
 */
export class BoundedMap<K, V> {
  private readonly entries = new OldestFirstMap<K, V>();
  /** The key set last: setting it again needs no reordering (the stitcher does so per request). */
  private newest: K | undefined;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    if (key === this.newest && this.entries.has(key)) {
      this.entries.set(key, value);
      return;
    }
    this.newest = key;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.oldestKey()!);
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }
}
