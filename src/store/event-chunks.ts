import type { Event } from '../model/event.js';
import type { BatchedWriter } from './batched-writer.js';
import { encode, encodedArray } from './codec.js';
import { eventKey } from './keys.js';

/**
 * A LevelDB entry costs far more than the bytes in it (about 5 µs of the main thread's time and
 * as much again in LevelDB's own, against well under one per event when tens share a value), so a
 * session's events are written in chunks: one value holding the msgpack array of the events that
 * came within HOLD_MS (at most CHUNK_EVENTS or CHUNK_BYTES), under the key of its lowest seq.
 * Holding for a while rather than for one turn matters when many sessions are active at once:
 * a turn then brings each of them an event or two. An event value is either one event (older
 * recordings) or such an array, in seq order; `inSeqOrder` reads both.
 */
const CHUNK_EVENTS = 64;
const CHUNK_BYTES = 256 * 1024;
const HOLD_MS = 100;

interface Chunk {
  parts: Uint8Array[];
  bytes: number;
  minSeq: number;
  seqs: number[];
}

export class EventChunks {
  private readonly open = new Map<string, Chunk>();
  private scheduled = false;

  constructor(private readonly batched: BatchedWriter) {}

  /** Encodes the event now (its bytes count against the writer's budget at once); false when dropped. */
  put(sessionId: string, event: Event): boolean {
    const bytes = encode(event);
    if (!this.batched.reserve(bytes.byteLength)) return false;
    let chunk = this.open.get(sessionId);
    if (!chunk) {
      chunk = { parts: [], bytes: 0, minSeq: event.seq, seqs: [] };
      this.open.set(sessionId, chunk);
    }
    chunk.parts.push(bytes);
    chunk.seqs.push(event.seq);
    chunk.bytes += bytes.byteLength;
    if (event.seq < chunk.minSeq) chunk.minSeq = event.seq;
    if (chunk.parts.length >= CHUNK_EVENTS || chunk.bytes >= CHUNK_BYTES) this.seal(sessionId, chunk);
    else this.schedule();
    return true;
  }

  /** Hands every open chunk to the writer. */
  sealAll(): void {
    for (const [sessionId, chunk] of this.open) this.seal(sessionId, chunk);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The events' bytes are already counted against the writer's budget, so holding them is bounded.
    setTimeout(() => {
      this.scheduled = false;
      this.sealAll();
    }, HOLD_MS);
  }

  private seal(sessionId: string, chunk: Chunk): void {
    this.open.delete(sessionId);
    const parts = inOrderOf(chunk.parts, chunk.seqs);
    const value = parts.length === 1 ? parts[0]! : encodedArray(parts, chunk.bytes);
    this.batched.putEncoded(eventKey(sessionId, chunk.minSeq), value, parts.length, value.byteLength - chunk.bytes);
  }
}

/** Parts sorted by their seqs; events mostly come in order, so the check usually settles it. */
function inOrderOf(parts: Uint8Array[], seqs: number[]): Uint8Array[] {
  let sorted = true;
  for (let i = 1; i < seqs.length && sorted; i++) sorted = seqs[i - 1]! < seqs[i]!;
  if (sorted) return parts;
  return seqs.map((seq, i) => ({ seq, part: parts[i]! })).sort((a, b) => a.seq - b.seq).map((x) => x.part);
}

/**
 * Events of one session in seq order from its values in key order. Chunks are keyed by their
 * lowest seq but may overlap (an exchange that ends late is stored with later ones), so events
 * are held until no later chunk can hold a lower seq: the next chunk's key says so.
 */
export async function* inSeqOrder(values: AsyncIterable<Event | Event[]>): AsyncGenerator<Event> {
  let held: Event[] = [];
  for await (const value of values) {
    const events = Array.isArray(value) ? value : [value];
    const next = events[0]?.seq ?? Number.POSITIVE_INFINITY;
    let ready = 0;
    while (ready < held.length && held[ready]!.seq < next) ready++;
    for (let i = 0; i < ready; i++) yield held[i]!;
    const rest = held.slice(ready);
    held = rest.length === 0 ? events : rest.concat(events).sort((a, b) => a.seq - b.seq);
  }
  yield* held;
}
