import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/session/bounded-map.js';

describe('BoundedMap', () => {
  it('forgets the entry set longest ago, and setting again refreshes', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('a', 3);
    m.set('c', 4);
    expect(m.has('b')).toBe(false);
    expect([m.get('a'), m.get('c')]).toEqual([3, 4]);
    expect(m.size).toBe(2);
  });

  it('setting the newest key again updates it in place and keeps the order', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('b', 3);
    m.set('c', 4);
    expect(m.has('a')).toBe(false);
    expect([m.get('b'), m.get('c')]).toEqual([3, 4]);
    m.delete('c');
    m.set('c', 5);
    m.set('d', 6);
    expect(m.has('b')).toBe(false);
    expect([m.get('c'), m.get('d')]).toEqual([5, 6]);
  });
});
