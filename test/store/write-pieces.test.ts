import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/index.js';
import { BatchedWriter } from '../../src/store/batched-writer.js';
import { EventChunks } from '../../src/store/event-chunks.js';
import { RecordingWriter } from '../../src/store/recording-store.js';
import { TimeSlices, type Step } from '../../src/store/time-slices.js';
import { MemoryBackend } from '../record/memory-backend.js';

/**
 * What the main thread does in one piece while writing (encode a chunk, hand a batch to LevelDB)
 * is bounded: forwarding waits behind each piece.
 */

function message(seq: number, size = 8): Event {
  return { type: 'ws-message', seq, t: 1, wsId: 'w', direction: 'client', opcode: 'binary', data: { bytes: new Uint8Array(size), size, truncated: false } };
}

function exchange(seq: number): Event {
  const body = { bytes: new Uint8Array(0), size: 0, truncated: false };
  return {
    type: 'http',
    seq,
    t: 1,
    exchangeId: `x${seq}`,
    connectionId: 'c1',
    clientAddress: '127.0.0.1',
    request: { method: 'GET', url: '/', httpVersion: '1.1', headers: [], body },
    response: { status: 204, statusMessage: 'No Content', headers: [], body },
    timing: { start: 1, end: 2 },
  };
}

/** Time slices that tell when a job is handed to them. */
class WatchedSlices extends TimeSlices {
  private waiting: (() => void)[] = [];
  handedOver = 0;
  override run(step: Step): void {
    this.handedOver++;
    super.run(step);
    for (const wake of this.waiting.splice(0)) wake();
  }
  nextJob(): Promise<void> {
    return new Promise((r) => this.waiting.push(r));
  }
}

/** Resolves after the slice queued this turn. */
const afterSlice = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('writing in bounded pieces', () => {
  it('closes a chunk as soon as it holds 32 exchanges or 128 KiB, and hundreds of small messages share one', async () => {
    const backend = new MemoryBackend();
    const slices = new WatchedSlices({ minMs: 0, maxMs: 0, share: 0 });
    const writer = new RecordingWriter(new BatchedWriter(backend), slices);
    for (let seq = 0; seq < 31; seq++) writer.putEvent('a', exchange(seq));
    expect(slices.handedOver).toBe(0);
    writer.putEvent('a', exchange(31));
    expect(slices.handedOver).toBe(1);
    for (let step = 0; step < 3; step++) await afterSlice(); // its tables, its encoding, and the job ends
    for (let seq = 0; seq < 400; seq++) writer.putEvent('b', message(seq));
    expect(slices.handedOver).toBe(1);
    for (let seq = 0; seq < 3; seq++) writer.putEvent('c', message(seq, 60 * 1024));
    expect(slices.handedOver).toBe(2);
    await writer.flush();
    expect(backend.count('e!')).toBe(3);
    expect(backend.events()).toBe(32 + 400 + 3);
  });

  it('seals a full chunk on the time slices, never in the step that filled it, tables and encoding apart', async () => {
    const backend = new MemoryBackend();
    const slices = new WatchedSlices({ minMs: 0, maxMs: 0, share: 0 });
    const writer = new RecordingWriter(new BatchedWriter(backend), slices);
    for (let seq = 0; seq < 32; seq++) writer.putEvent('a', exchange(seq));
    const sealed = (): number => writer.batched.stats().pending;
    expect(sealed()).toBe(0);
    await afterSlice(); // its tables
    expect(sealed()).toBe(0);
    await afterSlice(); // its encoding
    expect(sealed()).toBe(1);
    writer.putEvent('a', exchange(32)); // a new chunk: the sealed one took no more
    await writer.flush();
    expect(backend.count('e!')).toBe(2);
    expect(backend.events()).toBe(33);
  });

  it('seals held chunks one per step when they fall due, not all in one go', async () => {
    const backend = new MemoryBackend();
    const slices = new WatchedSlices({ minMs: 0, maxMs: 0, share: 0 });
    const writer = new RecordingWriter(new BatchedWriter(backend), slices);
    for (let s = 0; s < 50; s++) writer.putEvent(`s${s}`, message(0));
    await slices.nextJob(); // the first chunk fell due
    await afterSlice();
    expect(writer.batched.stats().pending).toBe(1);
    await writer.flush();
    expect(backend.count('e!')).toBe(50);
  });

  it("holds a session's first events and a busy session's, and stores a quiet session's event at once", async () => {
    const backend = new MemoryBackend();
    const batched = new BatchedWriter(backend);
    const slices = new WatchedSlices({ minMs: 0, maxMs: 0, share: 0 });
    let clock = 0;
    const chunks = new EventChunks(batched, slices, () => clock);
    const put = (session: string, seq: number): boolean => chunks.put(session, message(seq), 8);
    const stored = (): number => batched.stats().pending + backend.count('e!'); // values handed to the writer
    put('a', 0); // a session's start: more is likely to follow
    clock = 40;
    put('a', 1); // busy: its last event came 40 ms ago
    put('b', 5); // a session seen before (seq 5) with nothing in the last 100 ms
    expect(slices.handedOver).toBe(1);
    for (let step = 0; step < 2; step++) await afterSlice(); // b's one event, and the job ends
    expect(stored()).toBe(1);
    clock = 200;
    put('a', 2); // quiet for 160 ms: its open chunk is due with this event in it
    expect(slices.handedOver).toBe(2);
    for (let step = 0; step < 3; step++) await afterSlice(); // a's tables, its encoding, and the job ends
    expect(stored()).toBe(2);
    chunks.sealAll();
    await batched.flush();
    expect(backend.count('e!')).toBe(2);
    expect(backend.events()).toBe(4);
  });

  it('hands LevelDB batches of at most 64 entries or about 128 KiB', async () => {
    const backend = new MemoryBackend();
    const writer = new BatchedWriter(backend);
    for (let i = 0; i < 200; i++) writer.put(`k${i}`, i);
    await writer.flush();
    expect(backend.batches).toBe(4);
    for (let i = 0; i < 6; i++) writer.put(`big${i}`, new Uint8Array(100 * 1024));
    await writer.flush();
    expect(backend.batches).toBe(4 + 3);
    expect(writer.stats()).toMatchObject({ written: 206, dropped: 0, pending: 0 });
  });
});
