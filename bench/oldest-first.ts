/**
 * npx tsx bench/oldest-first.ts
 *
 * Evicting the oldest entry of a full Map, as the stitcher's bounded indexes do once a long
 * recording fills them (20,000 sessions, 200,000 issued values): `keys().next()` on a plain Map
 * against OldestFirstMap's kept cursor, side by side, at each capacity; ns per evicting insert.
 */
import { OldestFirstMap } from '../src/model/oldest-first-map.js';

type Evict = (m: Map<number, number>) => void;

const plain: Evict = (m) => void m.delete(m.keys().next().value!);
const cursor: Evict = (m) => void m.delete((m as OldestFirstMap<number, number>).oldestKey()!);

function time(capacity: number, map: Map<number, number>, evict: Evict): number {
  for (let i = 0; i < capacity; i++) map.set(i, i);
  const inserts = Math.max(50_000, capacity * 3); // past several rehashes of the table
  const start = performance.now();
  for (let key = capacity; key < capacity + inserts; key++) {
    map.set(key, key);
    evict(map);
  }
  return ((performance.now() - start) * 1e6) / inserts;
}

console.log('capacity   plain Map ns   OldestFirstMap ns   ratio');
for (const capacity of [1_000, 20_000, 200_000]) {
  // Alternate, twice each, and keep the better of each: the machine is shared.
  const runs = { plain: [] as number[], cursor: [] as number[] };
  for (let round = 0; round < 2; round++) {
    runs.plain.push(time(capacity, new Map(), plain));
    runs.cursor.push(time(capacity, new OldestFirstMap(), cursor));
  }
  const [p, c] = [Math.min(...runs.plain), Math.min(...runs.cursor)];
  console.log(`${String(capacity).padStart(8)} ${p.toFixed(0).padStart(14)} ${c.toFixed(0).padStart(19)} ${(p / c).toFixed(1).padStart(7)}x`);
}
