import { describe, expect, it } from 'vitest';
import { OldestFirstMap } from '../../src/model/oldest-first-map.js';
import { seededRandom } from '../../src/model/random.js';

describe('OldestFirstMap', () => {
  it('finds the oldest entry as a queue is taken from its front, and is empty at the end', () => {
    const m = new OldestFirstMap<number, string>();
    for (let i = 0; i < 5; i++) m.set(i, `v${i}`);
    const taken: number[] = [];
    for (let key = m.oldestKey(); key !== undefined; key = m.oldestKey()) {
      taken.push(key);
      m.delete(key);
    }
    expect(taken).toEqual([0, 1, 2, 3, 4]);
    expect(m.oldest()).toBeUndefined();
  });

  it('keeps a present key in its place, moves one deleted and set again to the end, and finds entries added after it ran out', () => {
    const m = new OldestFirstMap<string, number>();
    m.set('a', 1).set('b', 2).set('c', 3);
    expect(m.oldestKey()).toBe('a');
    m.set('a', 10); // present: keeps its place
    expect(m.oldest()).toBe(10);
    m.delete('a');
    m.set('a', 11); // deleted and set again: the newest
    expect(m.oldestKey()).toBe('b');
    m.delete('c'); // from the middle
    m.delete('b');
    expect(m.oldestKey()).toBe('a');
    m.delete('a');
    expect(m.oldestKey()).toBeUndefined();
    m.set('d', 4);
    expect(m.oldestKey()).toBe('d');
    m.clear();
    expect(m.oldestKey()).toBeUndefined();
    m.set('e', 5);
    expect(m.oldest()).toBe(5);
  });

  it('agrees with a plain Map read from its start through random sets, deletes and rehashes', () => {
    const random = seededRandom(7);
    const m = new OldestFirstMap<number, number>();
    const plain = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      const key = Math.floor(random() * 300);
      const r = random();
      if (r < 0.4) {
        m.set(key, step);
        plain.set(key, step);
      } else if (r < 0.6) {
        m.delete(key);
        plain.delete(key);
        m.set(key, step);
        plain.set(key, step);
      } else if (r < 0.8) {
        expect(m.delete(key)).toBe(plain.delete(key));
      } else {
        const oldest = plain.keys().next();
        expect(m.oldestKey()).toBe(oldest.done ? undefined : oldest.value);
        if (!oldest.done && r < 0.9) {
          m.delete(oldest.value);
          plain.delete(oldest.value);
        }
      }
    }
    expect([...m]).toEqual([...plain]);
  });
});
