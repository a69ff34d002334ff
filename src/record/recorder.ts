import { approximateSize, headerBytes } from '../model/event-size.js';
import { OldestFirstMap } from '../model/oldest-first-map.js';
import type { RecordingCounts } from '../model/recording.js';
import type { Session } from '../model/session.js';
import type { Tap, TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from '../proxy/tap.js';
import type { Redactor } from '../session/redactor.js';
import type { Stitched, Stitcher } from '../session/stitcher.js';
import type { RecordingWriter } from '../store/recording-store.js';
import { SlicedQueue } from './sliced-queue.js';

export interface RecorderLimits {
  /** Taps waiting to be stitched; past either bound new ones are dropped (and counted). */
  maxQueued?: number;
  maxQueuedBytes?: number;
  /** How long taps gather before they are stitched, so a slice takes a few at a time. */
  gatherMs?: number;
  /** How often changed session records are rewritten. */
  sessionWriteMs?: number;
}

/** Taps as they came; a request's head is the one without a `type`. */
type Queued = TapHttpRequest | TapHttpExchange | TapWsOpen | TapWsMessage | TapWsClose;

/** What a request's head costs beyond its URL and headers: ids, times, the object itself. */
const REQUEST_HEAD = 256;

/**
 * The tap the proxy calls. Each call only counts and queues (a few hundred nanoseconds on the
 * forwarding path); the queue is stitched into sessions, redacted and handed to the store's
 * batched writer off that path, in the writer's time slices. The queue is bounded: when the store
 * or the stitcher falls behind, new events are dropped and counted, and traffic is never held up.
 */
export class Recorder implements Tap {
  private readonly queue: SlicedQueue<Queued>;
  /**
   * Sessions that changed since they were last written. A session record is rewritten at most
   * every sessionWriteMs (its events are stored as they come), not once per event.
   */
  private touched = new OldestFirstMap<string, Session>();
  /** The sessions a write job is writing, one per step: those touched when it began. */
  private writing = new OldestFirstMap<string, Session>();
  private readonly sessionWriteMs: number;
  private sessionsWrittenAt = Number.NEGATIVE_INFINITY;
  private sessionTimer: NodeJS.Timeout | undefined;
  /** A session write is on its way: its timer is set or its job is running. */
  private sessionWriteDue = false;
  private readonly traffic = { exchanges: 0, wsConnections: 0, wsMessages: 0, bytes: 0 };
  private droppedHere = 0;
  private recorded = 0;
  private warned = false;

  constructor(
    private readonly stitcher: Stitcher,
    private readonly redactor: Redactor,
    private readonly writer: RecordingWriter,
    private readonly log: (line: string) => void,
    limits: RecorderLimits = {},
  ) {
    this.queue = new SlicedQueue<Queued>(
      { maxItems: limits.maxQueued ?? 100_000, maxBytes: limits.maxQueuedBytes ?? 64 * 1024 * 1024, gatherMs: limits.gatherMs ?? 5 },
      writer.slices,
      (item, cost) => this.store(item, cost),
    );
    this.sessionWriteMs = limits.sessionWriteMs ?? 500;
  }

  httpRequest(r: TapHttpRequest): void {
    this.enqueue(r);
  }

  httpExchange(x: TapHttpExchange): void {
    this.traffic.exchanges++;
    this.traffic.bytes += x.request.body.size + (x.response?.body.size ?? 0);
    this.enqueue(x);
  }

  wsOpen(o: TapWsOpen): void {
    if (o.status === 101) this.traffic.wsConnections++;
    this.enqueue(o);
  }

  wsMessage(m: TapWsMessage): void {
    this.traffic.wsMessages++;
    this.traffic.bytes += m.data.size;
    this.enqueue(m);
  }

  wsClose(c: TapWsClose): void {
    this.enqueue(c);
  }

  /** Recording counts so far: traffic seen, and events that did not reach the store. */
  counts(): RecordingCounts {
    return {
      sessions: this.stitcher.sessionsSeen(),
      ...this.traffic,
      dropped: this.droppedHere + this.writer.batched.stats().dropped,
    };
  }

  /** Events handed to the writer, and what waits: in this queue and in the writer's. */
  progress(): { recorded: number; queued: number; pendingWrites: number; pendingBytes: number } {
    const w = this.writer.batched.stats();
    return { recorded: this.recorded, queued: this.queue.size, pendingWrites: w.pending, pendingBytes: w.pendingBytes };
  }

  /** Stitches whatever is queued, then waits for the writer to store it. */
  async flush(): Promise<void> {
    this.queue.drain();
    clearTimeout(this.sessionTimer);
    this.sessionWriteDue = false;
    for (const sessions of [this.writing, this.touched]) {
      for (const session of sessions.values()) this.writer.putSession(this.redactor.session(session));
      sessions.clear();
    }
    await this.writer.flush();
  }

  private enqueue(item: Queued): void {
    if (!this.queue.push(item, costOf(item))) this.drop('the recorder is behind');
  }

  private touch(session: Session): void {
    this.touched.set(session.id, session);
    this.scheduleSessionWrite();
  }

  private scheduleSessionWrite(): void {
    if (this.sessionWriteDue) return;
    this.sessionWriteDue = true;
    const wait = Math.max(0, this.sessionsWrittenAt + this.sessionWriteMs - performance.now());
    this.sessionTimer = setTimeout(() => {
      this.sessionsWrittenAt = performance.now();
      [this.writing, this.touched] = [this.touched, this.writing];
      this.writer.slices.run(this.writeSession);
    }, wait).unref();
  }

  private readonly writeSession = (): boolean => {
    const next = this.writing.oldest();
    if (next) {
      this.writing.delete(next.id);
      this.writer.putSession(this.redactor.session(next));
    }
    if (this.writing.size > 0) return true;
    this.sessionWriteDue = false;
    if (this.touched.size > 0) this.scheduleSessionWrite();
    return false;
  };

  /** `cost` is the item's approximate size, which its event keeps in the store's budget. */
  private store(item: Queued, cost: number): void {
    let stitched: Stitched[];
    try {
      stitched = this.stitch(item);
    } catch (error) {
      this.drop(`an event could not be stitched (${(error as Error).message})`);
      return;
    }
    for (const { session, event } of stitched) {
      this.touch(session);
      if (this.writer.putEvent(session.id, this.redactor.event(event, session), cost)) this.recorded++;
      else this.warnOnce('the store is behind');
    }
  }

  private stitch(item: Queued): Stitched[] {
    if (!('type' in item)) {
      this.stitcher.httpRequest(item);
      return [];
    }
    switch (item.type) {
      case 'http':
        return this.stitcher.httpExchange(item);
      case 'ws-open':
        return this.stitcher.wsOpen(item);
      case 'ws-message':
        return this.stitcher.wsMessage(item);
      case 'ws-close':
        return this.stitcher.wsClose(item);
    }
  }

  private drop(why: string): void {
    this.droppedHere++;
    this.warnOnce(why);
  }

  private warnOnce(why: string): void {
    if (this.warned) return;
    this.warned = true;
    this.log(`recording: ${why}; dropping events, traffic goes on (dropped events are counted)`);
  }
}

function costOf(item: Queued): number {
  return 'type' in item ? approximateSize(item) : REQUEST_HEAD + item.url.length + headerBytes(item.headers);
}
