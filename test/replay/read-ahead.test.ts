import { describe, expect, it } from 'vitest';
import { ListCursor, ReadAhead } from '../../src/replay/read-ahead.js';

async function* numbers(n: number, seen: number[]): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    seen.push(i);
    yield i;
  }
}

async function drain<T>(c: { shift(): T | undefined; wait(): Promise<boolean> }): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const v = c.shift();
    if (v !== undefined) out.push(v);
    else if (!(await c.wait())) return out;
  }
}

describe('ReadAhead', () => {
  it('delivers everything in order, reading at most its size ahead', async () => {
    const read: number[] = [];
    const ahead = new ReadAhead(numbers(20, read), 4);
    expect(await ahead.wait()).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.length).toBeLessThanOrEqual(5);
    expect(await drain(ahead)).toEqual([...Array(20).keys()]);
  });

  it('passes a read failure on, and stops reading when told', async () => {
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      throw new Error('store gone');
    }
    const ahead = new ReadAhead(broken(), 4);
    await expect(drain(ahead)).rejects.toThrow('store gone');
    const read: number[] = [];
    const stopped = new ReadAhead(numbers(1000, read), 2);
    await stopped.wait();
    stopped.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.length).toBeLessThan(10);
  });
});

describe('ListCursor', () => {
  it('walks a shared list without changing it', async () => {
    const list = [1, 2, 3];
    expect(await drain(new ListCursor(list))).toEqual([1, 2, 3]);
    expect(list).toEqual([1, 2, 3]);
  });
});
