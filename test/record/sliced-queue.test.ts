import { describe, expect, it } from 'vitest';
import { SlicedQueue } from '../../src/record/sliced-queue.js';

const options = { maxItems: 100, maxBytes: 1000, sliceMs: 4, gatherMs: 0 };

/** Resolves after the queue's first turn: its timer was set before this one. */
const afterFirstTurn = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('SlicedQueue', () => {
  it('takes items at once and processes them later, in order, with their costs, then calls afterSlice', async () => {
    const seen: [number, number][] = [];
    let slices = 0;
    const q = new SlicedQueue<number>(options, (n, cost) => seen.push([n, cost]), () => slices++);
    for (let i = 0; i < 5; i++) expect(q.push(i, 10 + i)).toBe(true);
    expect(seen).toEqual([]);
    await afterFirstTurn();
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => [i, 10 + i]));
    expect([q.size, slices]).toEqual([0, 1]);
  });

  it('refuses items past either bound instead of growing', () => {
    const q = new SlicedQueue<number>({ ...options, maxItems: 3 }, () => {}, () => {});
    expect([1, 2, 3, 4].map((n) => q.push(n, 1))).toEqual([true, true, true, false]);
    const bytes = new SlicedQueue<number>(options, () => {}, () => {});
    expect([bytes.push(1, 600), bytes.push(2, 600), bytes.push(3, 400)]).toEqual([true, false, true]);
  });

  it('gives the event loop back between slices when the work outlasts one', async () => {
    const q = new SlicedQueue<number>({ ...options, maxItems: 1000, sliceMs: 0 }, () => {}, () => {});
    for (let i = 0; i < 200; i++) q.push(i, 1);
    await afterFirstTurn();
    expect(q.size).toBeGreaterThan(0); // one turn did not do it all
    expect(q.size).toBeLessThan(200); // but it did some
    q.drain();
    expect(q.size).toBe(0);
  });

  it('frees room as it processes', async () => {
    const q = new SlicedQueue<number>({ ...options, maxItems: 2 }, () => {}, () => {});
    q.push(1, 1);
    q.push(2, 1);
    expect(q.push(3, 1)).toBe(false);
    await afterFirstTurn();
    expect(q.push(3, 1)).toBe(true);
  });
});
