import type { RecordingCounts } from '../model/recording.js';
import type { Session } from '../model/session.js';
import type { Tap, TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from '../proxy/tap.js';
import type { Redactor } from '../session/redactor.js';
import type { Stitched, Stitcher } from '../session/stitcher.js';
import type { RecordingWriter } from '../store/recording-store.js';

export interface RecorderLimits {
  /** Taps waiting to be stitched; past either bound new ones are dropped (and counted). */
  maxQueued?: number;
  maxQueuedBytes?: number;
  /** Stitching work done per turn of the event loop before forwarding gets it back. */
  sliceMs?: number;
  /**
   * How long taps gather before they are stitched. Working in batches costs less per event
   * (one store batch, one write of each changed session, per slice) than working per tap.
   */
  gatherMs?: number;
  /** How often changed session records are rewritten. */
  sessionWriteMs?: number;
}

/** Taps as they came; a request's head is the one without a `type`. */
type Queued = TapHttpRequest | TapHttpExchange | TapWsOpen | TapWsMessage | TapWsClose;

/** What a queued tap costs beyond its bodies: headers, ids, the objects themselves. */
const OVERHEAD = 512;

/**
 * The tap the proxy calls. Each call only counts and queues (a few hundred nanoseconds on the
 * forwarding path); the queue is stitched into sessions, redacted and handed to the store's
 * batched writer in time slices off that path. The queue is bounded: when the store or the
 * stitcher falls behind, new events are dropped and counted, and traffic is never held up.
 */
export class Recorder implements Tap {
  private readonly queue: Queued[] = [];
  /** What each queued tap was counted as against maxQueuedBytes, in step with `queue`. */
  private readonly costs: number[] = [];
  /**
   * Sessions that changed since they were last written. A session record is rewritten at most
   * every sessionWriteMs (its events are stored as they come), not once per event.
   */
  private readonly touched = new Map<string, Session>();
  private sessionsWrittenAt = Number.NEGATIVE_INFINITY;
  private sessionTimer: NodeJS.Timeout | undefined;
  private head = 0;
  private queuedBytes = 0;
  private scheduled = false;
  private readonly maxQueued: number;
  private readonly maxQueuedBytes: number;
  private readonly sliceMs: number;
  private readonly gatherMs: number;
  private readonly sessionWriteMs: number;
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
    this.maxQueued = limits.maxQueued ?? 100_000;
    this.maxQueuedBytes = limits.maxQueuedBytes ?? 64 * 1024 * 1024;
    this.sliceMs = limits.sliceMs ?? 4;
    this.gatherMs = limits.gatherMs ?? 5;
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
    return { recorded: this.recorded, queued: this.queue.length - this.head, pendingWrites: w.pending, pendingBytes: w.pendingBytes };
  }

  /** Stitches whatever is queued, then waits for the writer to store it. */
  async flush(): Promise<void> {
    while (this.head < this.queue.length) this.work(Number.POSITIVE_INFINITY);
    this.writeSessions();
    await this.writer.flush();
  }

  private enqueue(item: Queued): void {
    const cost = costOf(item);
    if (this.queue.length - this.head >= this.maxQueued || this.queuedBytes + cost > this.maxQueuedBytes) {
      this.drop('the recorder is behind');
      return;
    }
    this.queue.push(item);
    this.costs.push(cost);
    this.queuedBytes += cost;
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.turn(), this.gatherMs);
    }
  }

  private turn(): void {
    this.scheduled = false;
    this.work(this.sliceMs);
    if (performance.now() - this.sessionsWrittenAt >= this.sessionWriteMs) this.writeSessions();
    else if (this.touched.size > 0) this.sessionTimer ??= setTimeout(() => this.writeSessions(), this.sessionWriteMs).unref();
    if (this.head < this.queue.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.turn());
    }
  }

  private writeSessions(): void {
    clearTimeout(this.sessionTimer);
    this.sessionTimer = undefined;
    this.sessionsWrittenAt = performance.now();
    for (const session of this.touched.values()) this.writer.putSession(this.redactor.session(session));
    this.touched.clear();
  }

  private work(budgetMs: number): void {
    const until = performance.now() + budgetMs;
    let n = 0;
    while (this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Queued; // let it be collected
      this.queuedBytes -= this.costs[this.head - 1]!;
      this.store(item);
      // Checking the clock every few items keeps its cost out of the per-item path.
      if (++n % 16 === 0 && performance.now() >= until) break;
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.costs.length = 0;
      this.head = 0;
      this.queuedBytes = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.costs.splice(0, this.head);
      this.head = 0;
    }
  }

  private store(item: Queued): void {
    let stitched: Stitched[];
    try {
      stitched = this.stitch(item);
    } catch (error) {
      this.drop(`an event could not be stitched (${(error as Error).message})`);
      return;
    }
    for (const { session, event } of stitched) {
      this.touched.set(session.id, session);
      if (this.writer.putEvent(session.id, this.redactor.event(event, session))) this.recorded++;
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
  if (!('type' in item)) return OVERHEAD;
  switch (item.type) {
    case 'http':
      return OVERHEAD + item.request.body.bytes.byteLength + (item.response?.body.bytes.byteLength ?? 0);
    case 'ws-open':
      return OVERHEAD + (item.response?.body.bytes.byteLength ?? 0);
    case 'ws-message':
      return OVERHEAD + item.data.bytes.byteLength;
    default:
      return OVERHEAD;
  }
}
