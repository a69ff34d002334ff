import type { Event } from '../model/event.js';
import { OldestFirstMap } from '../model/oldest-first-map.js';
import type { BatchedWriter } from './batched-writer.js';
import { encode, encodeChunk } from './codec.js';
import { eventKey } from './keys.js';
import { tabulated, untabulated, type ChunkItem } from './chunk-tables.js';
import type { TimeSlices } from './time-slices.js';

/**
 * A LevelDB entry costs far more than the bytes in it (about 5 µs of the main thread's time and
 * as much again in LevelDB's own, against well under one per event when tens share a value), so a
 * session's events are written in chunks: one value holding the array of the events that came
 * within HOLD_MS (at most CHUNK_WORK or CHUNK_BYTES), in seq order, under the key of its lowest
 * seq. Holding for a while rather than for one turn matters when many sessions are active at
 * once: a turn then brings each of them an event or two. A chunk is encoded when it is sealed,
 * its exchanges and its messages as tables (see chunk-tables.ts): a busy session's events in one
 * hot loop cost less than as many calls scattered between forwarding work. The bounds are small
 * because the main thread encodes, and a request that comes meanwhile waits: in the proxy under
 * load, sealing 32 exchanges took about 0.3 ms and 256 chat messages about 0.12 ms. So sealing
 * is a job on the time slices, never part of the step that fills a chunk, and a chunk is sealed
 * in two steps, its tables and then its encoding, which take about the same time. An event value
 * is either one event (older recordings, a chunk of one) or such an array; `inSeqOrder` reads
 * both.
 */
/** What a chunk may cost to encode, in WebSocket messages: an exchange costs about twenty (see above). */
const CHUNK_WORK = 512;
const EXCHANGE_WORK = 16;
const CHUNK_BYTES = 128 * 1024;
const HOLD_MS = 100;

interface Chunk {
  sessionId: string;
  events: Event[];
  /** What the events were counted as against the writer's budget (see approximateSize). */
  reserved: number;
  /** What encoding it will cost, in WebSocket messages (see CHUNK_WORK). */
  work: number;
  minSeq: number;
  /** When its first event came (on the chunks' clock): a held chunk is sealed HOLD_MS later. */
  openedAt: number;
  /** Once closed: what will be encoded, the first of its two steps done. */
  items?: Event | readonly ChunkItem[];
}

export class EventChunks {
  /** Open chunks by session, in the order they were opened, so the first is the first due. */
  private readonly open = new OldestFirstMap<string, Chunk>();
  /** Chunks that take no more events (full, or due), waiting to be sealed in this order. */
  private readonly closed: Chunk[] = [];
  /**
   * Each session's last event since `since`, and in the HOLD_MS before (two windows in turn, so
   * sessions gone quiet are forgotten without a sweep).
   */
  private recent = { since: Number.NEGATIVE_INFINITY, lastEventAt: new Map<string, number>(), before: new Map<string, number>() };
  private timer: NodeJS.Timeout | undefined;
  /** The sealing job is on the time slices. */
  private sealing = false;
  /** The sealing job closes chunks opened up to then. */
  private dueUpTo = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly batched: BatchedWriter,
    private readonly slices: TimeSlices,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Holds the event for its chunk; `bytes` (its approximate size) count against the writer's budget at once. False when dropped. */
  put(sessionId: string, event: Event, bytes: number): boolean {
    if (!this.batched.reserve(bytes)) return false;
    const now = this.now();
    const held = this.busy(sessionId, now) || event.seq === 0;
    let chunk = this.open.get(sessionId);
    if (!chunk) {
      chunk = { sessionId, events: [], reserved: 0, work: 0, minSeq: event.seq, openedAt: now };
      this.open.set(sessionId, chunk);
    }
    chunk.events.push(event);
    chunk.reserved += bytes;
    chunk.work += event.type === 'http' ? EXCHANGE_WORK : 1;
    if (event.seq < chunk.minSeq) chunk.minSeq = event.seq;
    if (!held || chunk.work >= CHUNK_WORK || chunk.reserved >= CHUNK_BYTES) {
      this.close(chunk);
      this.startSealing();
    } else this.schedule();
    return true;
  }

  /**
   * Whether the session had an event in the last HOLD_MS, noting this one. Holding a chunk pays
   * only when more of its session's events come before it falls due, as at a session's start
   * (seq 0, which is held too) and while it is busy. A session quieter than that (a thousand
   * users each sending a request a second) would have each event held on its own for the whole
   * wait, and so many events held that long outlive young-generation collections: with 1,000
   * such sessions the collections' pauses on the forwarding thread were three times as long.
   */
  private busy(sessionId: string, now: number): boolean {
    if (now - this.recent.since >= HOLD_MS) this.recent = { since: now, lastEventAt: new Map(), before: this.recent.lastEventAt };
    const last = this.recent.lastEventAt.get(sessionId) ?? this.recent.before.get(sessionId);
    this.recent.lastEventAt.set(sessionId, now);
    return last !== undefined && now - last < HOLD_MS;
  }

  /** Hands every chunk, closed or open, to the writer. */
  sealAll(): void {
    for (const chunk of this.open.values()) this.close(chunk);
    for (const chunk of this.closed.splice(0)) this.write(chunk);
  }

  /** When the first open chunk falls due, the sealing job closes the due ones. */
  private schedule(): void {
    if (this.timer || this.sealing) return;
    const first = this.open.oldest();
    if (!first) return;
    // The events' bytes are already counted against the writer's budget, so holding them is bounded.
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        // The timer runs on the event loop's clock, which can lag performance.now(): the chunk it was set for is due whatever the clocks say.
        this.dueUpTo = Math.max(first.openedAt, this.now() - HOLD_MS);
        this.startSealing();
      },
      Math.max(0, first.openedAt + HOLD_MS - this.now()),
    );
  }

  private startSealing(): void {
    if (this.sealing) return;
    this.sealing = true;
    this.slices.run(this.sealStep);
  }

  /**
   * One step of sealing: the first closed chunk's tables, or its encoding. With many sessions
   * active, sealing every due chunk at once would hold up forwarding for milliseconds.
   */
  private readonly sealStep = (): boolean => {
    if (this.closed.length === 0) {
      const due = this.open.oldest();
      if (!due || due.openedAt > this.dueUpTo) {
        this.sealing = false;
        this.schedule();
        return false;
      }
      this.close(due);
    }
    const chunk = this.closed[0]!;
    if (chunk.items === undefined && chunk.events.length > 1) chunk.items = itemsOf(chunk);
    else this.write(this.closed.shift()!);
    return true;
  };

  private close(chunk: Chunk): void {
    this.open.delete(chunk.sessionId);
    this.closed.push(chunk);
  }

  private write(chunk: Chunk): void {
    const items = chunk.items ?? itemsOf(chunk);
    const value = Array.isArray(items) ? encodeChunk(items) : encode(items);
    this.batched.putEncoded(eventKey(chunk.sessionId, chunk.minSeq), value, chunk.events.length, value.byteLength - chunk.reserved);
  }
}

/** What a chunk is stored as: its one event, or its events with their tables. */
function itemsOf(chunk: Chunk): Event | readonly ChunkItem[] {
  const events = inOrder(chunk.events);
  return events.length === 1 ? events[0]! : tabulated(events);
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
