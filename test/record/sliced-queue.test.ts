import { describe, expect, it } from 'vitest';
import { SlicedQueue } from '../../src/record/sliced-queue.js';
import { TimeSlices } from '../../src/store/time-slices.js';

const options = { maxItems: 100, maxBytes: 1000, gatherMs: 0 };

/** Resolves after the queue's first slice, or a later one (a timer set after the queue's may fall due a turn later). */
const afterFirstSlice = async (): Promise<void> => {
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setImmediate(r));
};

describe('SlicedQueue', () => {
  it('takes items at once and processes them later, in order, with their costs', async () => {
    const seen: [number, number][] = [];
    const q = new SlicedQueue<number>(options, new TimeSlices(), (n, cost) => seen.push([n, cost]));
    for (let i = 0; i < 5; i++) expect(q.push(i, 10 + i)).toBe(true);
    expect(seen).toEqual([]);
    await afterFirstSlice();
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => [i, 10 + i]));
    expect(q.size).toBe(0);
  });

  it('refuses items past either bound instead of growing', () => {
    const q = new SlicedQueue<number>({ ...options, maxItems: 3 }, new TimeSlices(), () => {});
    expect([1, 2, 3, 4].map((n) => q.push(n, 1))).toEqual([true, true, true, false]);
    const bytes = new SlicedQueue<number>(options, new TimeSlices(), () => {});
    expect([bytes.push(1, 600), bytes.push(2, 600), bytes.push(3, 400)]).toEqual([true, false, true]);
  });

  it('processes a few items per step, so a slice ends soon after its budget does', async () => {
    let markFirstSlice: () => void = () => {};
    const firstSliceDone = new Promise<void>((r) => (markFirstSlice = r));
    // Queued from within the first slice, so it runs before the second, which is queued as the first ends.
    const q = new SlicedQueue<number>({ ...options, maxItems: 1000 }, new TimeSlices({ minMs: 0, maxMs: 0, share: 0 }), (n) => {
      if (n === 0) setImmediate(markFirstSlice);
    });
    for (let i = 0; i < 200; i++) q.push(i, 1);
    await firstSliceDone;
    expect(q.size).toBe(192); // one step of 8
    q.drain();
    expect(q.size).toBe(0);
  });

  it('frees room as it processes, and takes new items once it has caught up', async () => {
    const seen: number[] = [];
    const q = new SlicedQueue<number>({ ...options, maxItems: 2 }, new TimeSlices(), (n) => seen.push(n));
    q.push(1, 1);
    q.push(2, 1);
    expect(q.push(3, 1)).toBe(false);
    await afterFirstSlice();
    expect(q.push(3, 1)).toBe(true);
    await afterFirstSlice();
    expect(seen).toEqual([1, 2, 3]);
  });
});
