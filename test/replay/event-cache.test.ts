import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/event.js';
import { EventCache } from '../../src/replay/event-cache.js';
import type { RecordingStore } from '../../src/store/recording-store.js';
import { buildRecording, tempRootPerTest, type ScriptSession } from './fixtures.js';

const short = (id: string, n: number): ScriptSession => ({ id, start: 0, steps: Array.from({ length: n }, (_, i) => ({ http: `GET /${i}`, at: i })) });

describe('EventCache', () => {
  const root = tempRootPerTest();
  let store: RecordingStore;
  beforeEach(async () => {
    store = await buildRecording(root.root, 'r', [short('a', 3), short('b', 2), short('long', 5)]);
  });
  afterEach(async () => {
    await store.close();
  });

  it('reads a small session once for all its copies, streams a long one every time', async () => {
    const cache = new EventCache(store, { maxSessionEvents: 4, budgetEvents: 100 });
    const a = (await store.session('a'))!;
    const first = await cache.events(a);
    const second = await cache.events(a);
    expect(second).toBe(first);
    expect((first as Event[]).map((e) => e.seq)).toEqual([1, 2, 3]);
    const long = cache.events((await store.session('long'))!);
    expect(long).not.toBeInstanceOf(Promise);
    const seqs: number[] = [];
    for await (const e of long as AsyncIterable<Event>) seqs.push(e.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps within its budget, dropping the oldest', async () => {
    const cache = new EventCache(store, { maxSessionEvents: 4, budgetEvents: 4 });
    const a = (await store.session('a'))!;
    const b = (await store.session('b'))!;
    const firstA = await cache.events(a);
    await cache.events(b); // 3 + 2 > 4: a goes
    expect(await cache.events(a)).not.toBe(firstA);
  });
});
