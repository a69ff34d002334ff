import type { Event } from '../model/event.js';
import { UsageError } from '../model/errors.js';
import { headerValue, type RawHeaders } from '../model/headers.js';
import { OldestFirstMap } from '../model/oldest-first-map.js';
import type { Session } from '../model/session.js';
import type { TapHttpExchange, TapHttpRequest, TapWsClose, TapWsMessage, TapWsOpen } from '../proxy/tap.js';
import { httpContent, messageContent } from './body.js';
import { BoundedMap } from './bounded-map.js';
import { issuedValues, readContent, readHead, type BodyFacts, type Found, type HeadFacts } from './candidates.js';
import { mayHoldIdentifier } from './identifiers.js';
import { SessionKeys, type SessionKey } from './session-key.js';
import { SessionState } from './session-state.js';

export interface StitcherOptions {
  /** `--session-key` specs, first match wins. */
  sessionKeys?: string[];
  /**
   * `--client-header`: a request header (X-Forwarded-For, X-Real-IP) that a load balancer in
   * front of the recorder sets; its first entry is the client's address, see `context`.
   */
  clientHeader?: string;
  /** Unlinked traffic from one client address and User-Agent joins a session idle for less than this. */
  idleGapMs?: number;
  /** A session idle this long is forgotten: its events are stored, later traffic starts anew. */
  forgetAfterMs?: number;
  /** Live sessions kept at most; past it the least recently active (to a second) is forgotten. */
  maxSessions?: number;
  /** Issued values indexed at most, over all sessions. */
  maxValues?: number;
  /** Bodies and messages larger than this (decoded) are not scanned for values. */
  maxScanBytes?: number;
}

/** The session as it now stands (a live view: store it before the next call) and the event with its seq. */
export type Stitched = { session: Session; event: Event };

export const STITCHER_DEFAULTS = {
  idleGapMs: 30_000,
  forgetAfterMs: 10 * 60_000,
  maxSessions: 20_000,
  maxValues: 200_000,
  maxScanBytes: 64 * 1024,
} as const;

/** How stale (µs of activity) a session's place in the stitcher's order may get; see `relist`. */
const RELIST_US = 1_000_000;

/** An owner for a value two sessions were given: it ties no one together. */
const SHARED = '';
const ISSUED_PER_RESPONSE = 64;
const LIMITS = { issuedValues: 256, uses: 10_000 };

/** How a request was placed; `own-link` is a link to the session its connection already belongs to. */
type How = 'key' | 'link' | 'own-link' | 'connection' | 'client' | 'new';

interface Arrival {
  connectionId: string;
  clientAddress: string;
  url: string;
  headers: RawHeaders;
  t: number;
}

interface Context extends Arrival {
  head: HeadFacts;
  key: SessionKey | undefined;
  userAgent: string | undefined;
}

interface Placement {
  state: SessionState;
  how: How;
}

/** What a request's head leaves for its exchange: where it was placed and its seq. */
interface Reserved extends Placement {
  seq: number;
}

interface Pending extends Reserved {
  ctx: Context;
}

/**
 * Decides which session each event belongs to, in the order the proxy reports them, and finds the
 * value links inside sessions. The rules, strongest first (see the README's Sessions): a --session-key
 * value; a value this session was issued (a token, a cookie) sent back; the client connection;
 * the client address and User-Agent within the idle gap. Every index is bounded.
 */
export class Stitcher {
  /** Least recently active first, so forgetting reads from the front. */
  private readonly sessions = new OldestFirstMap<string, SessionState>();
  private readonly owners: BoundedMap<string, string>;
  private readonly connections: BoundedMap<string, string>;
  private readonly clients: BoundedMap<string, string>;
  private readonly keyed: BoundedMap<string, string>;
  private readonly websockets: BoundedMap<string, string>;
  private readonly pending: BoundedMap<string, Reserved>;
  private readonly keys: SessionKeys;
  private readonly clientHeader: string | undefined;
  private readonly options: Required<Omit<StitcherOptions, 'sessionKeys' | 'clientHeader'>>;
  private created = 0;
  private seen = 0;
  private now = 0;
  private lastSweep = 0;

  constructor(options: StitcherOptions = {}) {
    this.keys = new SessionKeys(options.sessionKeys ?? []);
    this.clientHeader = options.clientHeader === undefined ? undefined : headerName(options.clientHeader);
    this.options = { ...STITCHER_DEFAULTS, ...withoutUndefined(options) };
    for (const [name, value] of Object.entries(this.options)) {
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`bad stitcher option ${name}: ${value}`);
    }
    const { maxSessions, maxValues } = this.options;
    this.owners = new BoundedMap(maxValues);
    this.connections = new BoundedMap(maxSessions * 4);
    this.clients = new BoundedMap(maxSessions);
    this.keyed = new BoundedMap(maxSessions);
    this.websockets = new BoundedMap(maxSessions * 4);
    this.pending = new BoundedMap(maxSessions * 4);
  }

  /** Sessions that emitted at least one event. */
  sessionsSeen(): number {
    return this.seen;
  }

  /** Sessions still remembered (for metrics, and to show memory stays bounded). */
  liveSessions(): number {
    return this.sessions.size;
  }

  /** Request headers arrived: decide the session and reserve the seq, so events order by start. */
  httpRequest(r: TapHttpRequest): void {
    const ctx = this.context(r);
    const { state, how } = this.place(ctx);
    state.pending++;
    this.pending.set(r.exchangeId, { state, how, seq: state.reserve(r.t) });
  }

  httpExchange(x: TapHttpExchange): Stitched[] {
    const pending = this.takePending(x);
    const body = readContent(httpContent(x.request.headers, x.request.body, this.options.maxScanBytes));
    const { state, seq, how, ctx } = this.settle(pending, body);
    const found = body.found.length === 0 ? ctx.head.found : [...ctx.head.found, ...body.found];
    this.sent(state, seq, found, ctx.head.authenticates || body.password);
    if (x.response) {
      // A response is read only for the identifier-like values it issues; most JSON holds none.
      const content = httpContent(x.response.headers, x.response.body, this.options.maxScanBytes, mayHoldIdentifier);
      // Only identifier-like values reach the check, and they are few: a scan beats building a set.
      const issued = issuedValues(x.response.headers, content, (v) => found.some((f) => f.value === v), ISSUED_PER_RESPONSE);
      this.own(state, state.issue(seq, issued));
    }
    return this.emit(state, how, sequenced(x, seq), x.timing.end);
  }

  wsOpen(o: TapWsOpen): Stitched[] {
    const ctx = this.context(o);
    const { state, how } = this.place(ctx);
    const seq = state.reserve(o.t);
    this.sent(state, seq, ctx.head.found, ctx.head.authenticates);
    if (o.status === 101) this.openSocket(o.wsId, state);
    return this.emit(state, how, sequenced(o, seq), o.t);
  }

  wsMessage(m: TapWsMessage): Stitched[] {
    const state = this.socketSession(m.wsId, m.t);
    const seq = state.reserve(m.t);
    if (m.direction === 'client' && state.issuesValues) {
      const found = readContent(messageContent(m.opcode, m.data, this.options.maxScanBytes)).found;
      if (state.use(seq, found)) state.authenticate();
    }
    return this.emit(state, 'connection', sequenced(m, seq), m.t);
  }

  wsClose(c: TapWsClose): Stitched[] {
    const state = this.socketSession(c.wsId, c.t);
    const seq = state.reserve(c.t);
    if (this.websockets.delete(c.wsId)) state.openWebSockets = Math.max(0, state.openWebSockets - 1);
    return this.emit(state, 'connection', sequenced(c, seq), c.t);
  }

  /**
   * Built field by field rather than by spreading the tap: this runs for every request. Behind a
   * load balancer the socket is the balancer's and its connections are pooled across users, so
   * with a client header the address is the header's first entry and a connection groups only the
   * requests of one such address (without the header, the socket's address and connection stand).
   */
  private context(a: Arrival): Context {
    const { url, headers, t } = a;
    const forwarded = this.clientHeader === undefined ? undefined : firstEntry(headerValue(headers, this.clientHeader));
    const clientAddress = forwarded ?? a.clientAddress;
    const connectionId = forwarded === undefined ? a.connectionId : `${a.connectionId}\n${forwarded}`;
    const key = this.keys.size > 0 ? this.keys.of(url, headers) : undefined;
    return { connectionId, clientAddress, url, headers, t, head: readHead(url, headers), key, userAgent: headerValue(headers, 'user-agent') };
  }

  /**
   * The grouping rules, strongest first; the result takes the key, the connection, the client and
   * the credentials along (now, so a parallel request with the same token finds it at once).
   */
  private place(ctx: Context): Placement {
    const placed = this.choose(ctx);
    const { state } = placed;
    if (ctx.key && state.key === undefined) {
      state.keyed(ctx.key.spec, ctx.key.value);
      this.keyed.set(keyId(ctx.key), state.session.id);
    }
    this.bind(ctx, state);
    return placed;
  }

  private bind(ctx: Context, state: SessionState): void {
    const id = state.session.id;
    this.connections.set(ctx.connectionId, id);
    this.clients.set(clientId(ctx), id);
    state.present(ctx.head.credentials);
    this.own(state, ctx.head.credentials);
  }

  private choose(ctx: Context): Placement {
    const byKey = ctx.key && this.live(this.keyed.get(keyId(ctx.key)));
    if (byKey) return { state: byKey, how: 'key' };
    const byConnection = this.live(this.connections.get(ctx.connectionId));
    const linked = this.linked(ctx.head.found, ctx.key);
    if (linked) return { state: linked, how: linked === byConnection ? 'own-link' : 'link' };
    const { authenticates, credentials } = ctx.head;
    if (byConnection && this.accepts(byConnection, ctx.key, authenticates, credentials)) return { state: byConnection, how: 'connection' };
    const byClient = authenticates ? undefined : this.live(this.clients.get(clientId(ctx)));
    if (byClient && ctx.t - byClient.lastActive <= this.options.idleGapMs * 1000 && this.accepts(byClient, ctx.key, false, [])) {
      return { state: byClient, how: 'client' };
    }
    return { state: this.create(ctx), how: 'new' };
  }

  /**
   * The body is known only when the exchange ends. A placement made by connection or client alone
   * yields to a link found in the body, and a login (a password field) does not join another
   * user's session through a guess: it starts its own.
   */
  private settle(p: Pending, body: BodyFacts): Pending {
    if (p.ctx.key || p.how === 'key' || p.how === 'link' || p.how === 'own-link') return p;
    const linked = this.linked(body.found, undefined);
    if (linked === p.state) return p;
    if (linked) return this.move(p, linked, 'link');
    const guessed = p.how === 'client' || (p.how === 'connection' && p.state.authenticated);
    if (body.password && guessed) return this.move(p, this.create(p.ctx), 'new');
    return p;
  }

  private move(p: Pending, to: SessionState, how: How): Pending {
    const from = p.state;
    from.release(p.seq);
    if (!from.emitted && from.pending === 0 && from.openWebSockets === 0) this.sessions.delete(from.session.id);
    for (const c of p.ctx.head.credentials) if (this.owners.get(c) === from.session.id) this.owners.delete(c);
    this.bind(p.ctx, to);
    return { state: to, how, ctx: p.ctx, seq: to.reserve(p.ctx.t) };
  }

  /**
   * The head's facts are read again from the exchange (the same URL, headers and start) rather
   * than kept from the head: kept, they lived across turns of the event loop, where the young
   * generation is collected, and recording's scavenges took 2 to 3 ms against 1 at 1,450 req/s.
   */
  private takePending(x: TapHttpExchange): Pending {
    const ctx = this.context({ connectionId: x.connectionId, clientAddress: x.clientAddress, url: x.request.url, headers: x.request.headers, t: x.timing.start });
    const reserved = this.pending.get(x.exchangeId);
    this.pending.delete(x.exchangeId);
    if (reserved && this.sessions.get(reserved.state.session.id) === reserved.state) {
      reserved.state.pending--;
      return { state: reserved.state, how: reserved.how, seq: reserved.seq, ctx };
    }
    const { state, how } = this.place(ctx);
    return { state, how, ctx, seq: state.reserve(ctx.t) };
  }

  /** What a request, a handshake or a message sent: the uses of issued values, and the tag. */
  private sent(state: SessionState, seq: number, found: readonly Found[], authenticates: boolean): void {
    if (state.use(seq, found) || authenticates) state.authenticate();
  }

  private accepts(state: SessionState, key: SessionKey | undefined, authenticates: boolean, credentials: readonly string[]): boolean {
    if (key && state.key !== undefined && state.key !== key.value) return false;
    return !authenticates || !state.authenticated || credentials.some((c) => state.knows(c));
  }

  /** The live session that was issued (or presented) one of these values, and only it. */
  private linked(found: readonly Found[], key: SessionKey | undefined): SessionState | undefined {
    for (const f of found) {
      const owner = this.live(this.owners.get(f.value));
      if (owner && (!key || owner.key === undefined || owner.key === key.value)) return owner;
    }
    return undefined;
  }

  private own(state: SessionState, values: readonly string[]): void {
    const id = state.session.id;
    for (const v of values) {
      const owner = this.owners.get(v);
      if (owner === undefined || (owner !== SHARED && !this.sessions.has(owner))) this.owners.set(v, id);
      else if (owner !== id) this.owners.set(v, SHARED);
    }
  }

  private openSocket(wsId: string, state: SessionState): void {
    this.websockets.set(wsId, state.session.id);
    state.openWebSockets++;
  }

  /** A message or close whose handshake was not seen (or was forgotten) still gets a session. */
  private socketSession(wsId: string, t: number): SessionState {
    const state = this.live(this.websockets.get(wsId));
    if (state) return state;
    const orphan = this.create({ connectionId: '', clientAddress: '', url: '', headers: [], t, head: readHead('', []), key: undefined, userAgent: undefined });
    this.openSocket(wsId, orphan);
    return orphan;
  }

  private create(ctx: Context): SessionState {
    if (this.sessions.size >= this.options.maxSessions) this.sessions.delete(this.sessions.oldestKey()!);
    const client = ctx.userAgent === undefined ? { address: ctx.clientAddress } : { address: ctx.clientAddress, userAgent: ctx.userAgent };
    const state = new SessionState(`s${++this.created}`, ctx.t, client, LIMITS);
    this.sessions.set(state.session.id, state);
    return state;
  }

  private live(id: string | undefined): SessionState | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  private emit(state: SessionState, how: How, event: Event, end: number): Stitched[] {
    if (how === 'link' || how === 'client') state.joined(how, this.options.idleGapMs);
    if (!state.emitted) this.seen++;
    state.record(end);
    if (state.lastActive - state.listedAt > RELIST_US) this.relist(state);
    this.sweep(end);
    return [{ session: state.session, event }];
  }

  /**
   * Forgets sessions idle past forgetAfterMs with nothing in flight (an exchange or a WebSocket
   * still open keeps its session however quiet; the maxSessions cap still bounds them).
   */
  private sweep(t: number): void {
    if (t > this.now) this.now = t;
    const forgetAfter = this.options.forgetAfterMs * 1000;
    if (this.now - this.lastSweep < forgetAfter / 4) return;
    this.lastSweep = this.now;
    for (const [id, state] of this.sessions) {
      // Listed in order, each no later than its last activity: past this one, none is idle.
      if (this.now - state.listedAt <= forgetAfter) break;
      if (this.now - state.lastActive <= forgetAfter) this.relist(state);
      else if (state.pending === 0 && state.openWebSockets === 0) this.sessions.delete(id);
    }
  }

  /**
   * Moves a session to the back of the order. Doing so on every event would churn the Map's
   * table for every message (and the GC with it), so a session moves at most once per RELIST_US
   * of activity: the order, and the maxSessions eviction, are least-recently-active to a second.
   */
  private relist(state: SessionState): void {
    state.listedAt = state.lastActive;
    this.sessions.delete(state.session.id);
    this.sessions.set(state.session.id, state);
  }
}

/** A header name as Node's parser accepts it, lower-cased for lookups. */
function headerName(name: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`bad --client-header "${name}": use a header name, e.g. x-forwarded-for`);
  return name.toLowerCase();
}

/** `203.0.113.5, 10.0.0.2` -> 203.0.113.5: the address the first proxy saw. */
function firstEntry(value: string | undefined): string | undefined {
  const first = value?.split(',')[0]!.trim();
  return first ? first : undefined;
}

function keyId(key: SessionKey): string {
  return `${key.spec}\0${key.value}`;
}

function clientId(ctx: Context): string {
  return `${ctx.clientAddress}\n${ctx.userAgent ?? ''}`;
}

function withoutUndefined(options: StitcherOptions): Partial<Required<Omit<StitcherOptions, 'sessionKeys' | 'clientHeader'>>> {
  const { sessionKeys: _keys, clientHeader: _header, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

/**
 * The tap becomes the event in place: the proxy hands it over and never reads it again. A copy
 * (`{ ...tap, seq }`) would cost more than all the rest of stitching a WebSocket message, since
 * V8 takes a slow path to add a property to a spread clone.
 */
function sequenced<T extends object>(tap: T, seq: number): T & { seq: number } {
  const event = tap as T & { seq: number };
  event.seq = seq;
  return event;
}
