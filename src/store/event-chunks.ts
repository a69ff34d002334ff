import type { Event } from '../model/event.js';
import type { BatchedWriter } from './batched-writer.js';
import { encode, encodeChunk } from './codec.js';
import { eventKey } from './keys.js';
import { tabulated, untabulated, type ChunkItem } from './message-table.js';

/**
 * A LevelDB entry costs far more than the bytes in it (about 5 µs of the main thread's time and
 * as much again in LevelDB's own, against well under one per event when tens share a value), so a
 * session's events are written in chunks: one value holding the array of the events that came
 * within HOLD_MS (at most CHUNK_EVENTS or CHUNK_BYTES), in seq order, under the key of its lowest
 * seq. Holding for a while rather than for one turn matters when many sessions are active at
 * once: a turn then brings each of them an event or two. A chunk is encoded when it is sealed, in
 * one call (see encodeChunk), its WebSocket messages as one table (see message-table.ts): a busy
 * session's 64 events in one hot loop cost less than 64 separate calls scattered between
 * forwarding work. An event value is either one event (older recordings, a chunk of one) or such
 * an array; `inSeqOrder` reads both.
 */
const CHUNK_EVENTS = 64;
const CHUNK_BYTES = 256 * 1024;
const HOLD_MS = 100;

interface Chunk {
  events: Event[];
  /** What the events were counted as against the writer's budget (see approximateSize). */
  reserved: number;
  minSeq: number;
}

export class EventChunks {
  private readonly open = new Map<string, Chunk>();
  private scheduled = false;

  constructor(private readonly batched: BatchedWriter) {}

  /** Holds the event for its chunk; `bytes` (its approximate size) count against the writer's budget at once. False when dropped. */
  put(sessionId: string, event: Event, bytes: number): boolean {
    if (!this.batched.reserve(bytes)) return false;
    let chunk = this.open.get(sessionId);
    if (!chunk) {
      chunk = { events: [], reserved: 0, minSeq: event.seq };
      this.open.set(sessionId, chunk);
    }
    chunk.events.push(event);
    chunk.reserved += bytes;
    if (event.seq < chunk.minSeq) chunk.minSeq = event.seq;
    if (chunk.events.length >= CHUNK_EVENTS || chunk.reserved >= CHUNK_BYTES) this.seal(sessionId, chunk);
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
    const events = inOrder(chunk.events);
    const value = events.length === 1 ? encode(events[0]) : encodeChunk(tabulated(events));
    this.batched.putEncoded(eventKey(sessionId, chunk.minSeq), value, events.length, value.byteLength - chunk.reserved);
  }
}

/** Events sorted by seq; they mostly come in order, so the check usually settles it. */
function inOrder(events: Event[]): Event[] {
  for (let i = 1; i < events.length; i++) if (events[i - 1]!.seq > events[i]!.seq) return events.sort((a, b) => a.seq - b.seq);
  return events;
}

/**
 * Events of one session in seq order from its values in key order. Chunks are keyed by their
 * lowest seq but may overlap (an exchange that ends late is stored with later ones), so events
 * are held until no later chunk can hold a lower seq: the next chunk's key says so.
 */
export async function* inSeqOrder(values: AsyncIterable<Event | ChunkItem[]>): AsyncGenerator<Event> {
  let held: readonly Event[] = [];
  for await (const value of values) {
    const events = Array.isArray(value) ? untabulated(value) : [value];
    const next = events[0]?.seq ?? Number.POSITIVE_INFINITY;
    let ready = 0;
    while (ready < held.length && held[ready]!.seq < next) ready++;
    for (let i = 0; i < ready; i++) yield held[i]!;
    const rest = held.slice(ready);
    held = rest.length === 0 ? events : rest.concat(events).sort((a, b) => a.seq - b.seq);
  }
  yield* held;
}
