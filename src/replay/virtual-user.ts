import type { Event, HttpEvent, Opcode, WsOpenEvent } from '../model/event.js';
import type { ExchangeResult, SessionResult, TargetRole } from '../model/run.js';
import type { Session } from '../model/session.js';
import type { Carrier } from './carrier.js';
import { epochUs, nowMs } from '../model/clock.js';
import { Sleeper } from './clock.js';
import { outgoingRequest, sendExchange, STOPPED_FAILURE } from './http-exchange.js';
import type { PlannedStart } from './plan.js';
import type { StartTiming } from './scheduler.js';
import { UserConnections } from './connections.js';
import { ListCursor, ReadAhead } from './read-ahead.js';
import { StepClock, type Anchor } from './step-clock.js';
import { Substitution } from './substitution.js';
import type { IdentityRewrite } from './vary.js';
import { WsLane } from './ws-connection.js';
import type { MessageKey } from './ws-match.js';

export interface UserTarget {
  role: TargetRole;
  /** http(s)://host:port and ws(s)://host:port of the target. */
  httpOrigin: string;
  wsOrigin: string;
}

export interface VirtualUserOptions {
  target: UserTarget;
  start: PlannedStart;
  timing: StartTiming;
  session: Session;
  /** A stream from the store, or a list shared with other copies (never changed). */
  events: AsyncIterable<Event> | readonly Event[];
  speed: number;
  timeoutMs: number;
  key: MessageKey;
  identity?: IdentityRewrite;
  /** Keep response headers and bodies in the results (compare diffs them). */
  retain: boolean;
  /** With --expect-fifo: the message whose arrival order is checked. */
  fifo?: (opcode: Opcode, data: Uint8Array) => boolean;
}

/** A lane this far behind its reader makes the reader wait, so memory stays bounded. */
const LANE_BACKLOG = 16;
/** Events read ahead of the user, per user. */
const READ_AHEAD = 8;
/** Per user, like a browser: overlapping recorded requests get connections of their own. */
const CONNECTIONS_PER_USER = 6;

/**
 * One session copy against one target, with connections, cookies and tokens of its own. Events
 * are read from the store as a stream. HTTP exchanges and WebSocket handshakes keep recorded
 * causality: one that started after another ended waits for it (and for every response a value
 * link makes it depend on, even at --speed max), then for the recorded think time scaled by
 * the speed. WebSocket messages are played by their connection's lane.
 */
export class VirtualUser {
  private readonly connections: UserConnections;
  private readonly substitution: Substitution;
  private readonly steps: StepClock;
  private readonly sleeper = new Sleeper();
  private readonly sourceDone = new Map<number, Promise<number>>();
  private readonly lanes = new Map<string, WsLane>();
  private readonly exchanges: ExchangeResult[] = [];
  private readonly unreplaced: SessionResult['unreplaced'] = [];
  private recordedFifo = false;
  private aborted = false;

  constructor(private readonly o: VirtualUserOptions) {
    this.connections = new UserConnections(
      o.target.httpOrigin,
      { pipelining: 1, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs, connectTimeout: o.timeoutMs },
      CONNECTIONS_PER_USER,
    );
    this.substitution = new Substitution(o.session.links);
    this.steps = new StepClock(o.session.startedAt, nowMs());
  }

  async run(): Promise<SessionResult> {
    try {
      await this.play();
    } finally {
      await this.close();
    }
    return this.result();
  }

  /** Ends the user now (the run was stopped): waits end, connections close, what was done counts. */
  abort(): void {
    this.aborted = true;
    this.sleeper.stop();
    for (const lane of this.lanes.values()) lane.abort();
    void this.connections.destroy();
  }

  private async play(): Promise<void> {
    const source = this.o.events;
    const events = isList(source) ? new ListCursor(source) : new ReadAhead(source, READ_AHEAD);
    try {
      for (;;) {
        const event = events.shift();
        if (event === undefined) {
          if (await events.wait()) continue;
          break;
        }
        if (this.aborted) break;
        const waiting = this.playEvent(event);
        if (waiting) await waiting;
      }
    } finally {
      events.stop();
    }
    for (const lane of this.lanes.values()) lane.end();
    await this.steps.settled();
    await Promise.all([...this.lanes.values()].map((l) => l.done));
  }

  private playEvent(event: Event): Promise<void> | undefined {
    if (event.type === 'http') return this.http(event);
    if (event.type === 'ws-open') return this.wsOpen(event);
    if (event.type === 'ws-message' && event.direction === 'server' && this.o.fifo?.(event.opcode, event.data.bytes)) this.recordedFifo = true;
    const lane = this.lanes.get(event.wsId);
    if (!lane) return undefined; // its handshake was not recorded
    lane.push(event);
    return lane.backlog >= LANE_BACKLOG ? lane.backlogBelow(LANE_BACKLOG / 4) : undefined;
  }

  private async close(): Promise<void> {
    for (const lane of this.lanes.values()) lane.abort();
    await this.connections.destroy();
  }

  private result(): SessionResult {
    const websockets = [...this.lanes.values()].map((l) => l.result);
    const exchanges = this.exchanges.sort((a, b) => a.seq - b.seq);
    // A user stopped halfway did not do what the recording did.
    const stopped = this.aborted;
    const ok = !stopped && exchanges.every((x) => !x.failure) && websockets.every((w) => !w.failure);
    const result: SessionResult = {
      role: this.o.target.role,
      copy: this.o.start.copy,
      sessionId: this.o.session.id,
      tags: this.o.session.tags,
      stage: this.o.start.stage,
      plannedStart: this.o.timing.plannedAt,
      actualStart: this.o.timing.actualAt,
      end: epochUs(),
      ok,
      exchanges,
      websockets,
      unreplaced: this.unreplaced,
    };
    if (stopped) result.failure = STOPPED_FAILURE;
    if (this.o.fifo) result.fifo = { recorded: this.recordedFifo, ...reached(websockets, this.o.fifo) };
    return result;
  }

  /**
   * Waits for what the event depends on and then for its recorded think time: true when it may
   * go, false when the run was aborted. Synchronous when nothing needs waiting for.
   */
  private turn(seq: number, recordedStart: number): boolean | Promise<boolean> {
    const anchor = this.steps.anchorFor(recordedStart);
    const sources = this.substitution.sourcesFor(seq);
    if (sources.length > 0) {
      return Promise.all([anchor, ...sources.map((s) => this.sourceDone.get(s))]).then(([a]) => this.thinkAfter(a as Anchor, recordedStart));
    }
    if (anchor instanceof Promise) return anchor.then((a) => this.thinkAfter(a, recordedStart));
    return this.thinkAfter(anchor, recordedStart);
  }

  private thinkAfter(anchor: Anchor, recordedStart: number): boolean | Promise<boolean> {
    const delay = Number.isFinite(this.o.speed) ? (recordedStart - anchor.recordedEnd) / 1000 / this.o.speed : 0;
    return this.sleeper.until(anchor.atMs + delay);
  }

  private http(event: HttpEvent): Promise<void> | undefined {
    const go = this.turn(event.seq, event.timing.start);
    if (go === true) return void this.send(event);
    if (go === false) return undefined;
    return go.then((ok) => (ok ? this.send(event) : undefined));
  }

  private send(event: HttpEvent): void {
    const done = this.exchange(event);
    this.steps.add(event.timing.end, done);
    if (this.substitution.isSource(event.seq)) this.sourceDone.set(event.seq, done);
  }

  private exchange(event: HttpEvent): Promise<number> {
    const request = outgoingRequest(event);
    this.prepare(event.seq, request);
    const source = this.substitution.isSource(event.seq);
    return this.connections.use((c) => sendExchange(c, event, request, { keepBody: source, retain: this.o.retain })).then((outcome) => {
      if (outcome.response) this.substitution.learn(event.seq, source ? recordedResponse(event) : undefined, outcome.response);
      this.exchanges.push(outcome.result);
      return outcome.endedMs;
    });
  }

  private async wsOpen(event: WsOpenEvent): Promise<void> {
    if (!(await this.turn(event.seq, event.t))) return;
    const lane = new WsLane(event, {
      origin: this.o.target.wsOrigin,
      speed: this.o.speed,
      timeoutMs: this.o.timeoutMs,
      key: this.o.key,
      prepare: (seq, carrier) => this.prepare(seq, carrier),
    });
    this.lanes.set(event.wsId, lane);
    lane.connect();
    this.steps.add(event.t, lane.opened);
  }

  /** Identity rules first (who this copy is), then fresh values, then the count of leftovers. */
  private prepare(seq: number, carrier: Carrier): void {
    this.o.identity?.(carrier);
    this.substitution.apply(seq, carrier);
    for (const u of this.substitution.unreplaced(seq, carrier)) this.unreplaced.push(u);
  }
}

function isList(events: VirtualUserOptions['events']): events is readonly Event[] {
  return Array.isArray(events);
}

function recordedResponse(event: HttpEvent): Carrier | undefined {
  return event.response && { side: 'response', headers: event.response.headers, body: event.response.body.bytes };
}

function reached(websockets: SessionResult['websockets'], match: NonNullable<VirtualUserOptions['fifo']>): { joinedAt?: number; reachedAt?: number } {
  let first: { joinedAt: number; reachedAt: number } | undefined;
  for (const ws of websockets) {
    const hit = ws.received.find((m) => match(m.opcode, m.data));
    if (hit && (first === undefined || hit.at < first.reachedAt)) first = { joinedAt: ws.sentAt, reachedAt: hit.at };
  }
  return first ?? {};
}
