import { formatLocation } from '../model/location.js';
import type { GroupingReason, Session, ValueLink } from '../model/session.js';
import { BoundedMap } from './bounded-map.js';
import { isCredentialSource, locationOf, type Found } from './candidates.js';

export interface SessionLimits {
  /** Issued values a session remembers (the oldest unused are forgotten first). */
  issuedValues: number;
  /** Uses recorded per session, over all its links. */
  uses: number;
}

type JoinedBy = 'link' | 'client' | 'connection';

/** Strength order for `groupedBy`: a session-key session stays one; a link beats an idle-gap guess. */
const RANK: Record<GroupingReason['by'], number> = { 'session-key': 3, link: 2, client: 1, connection: 0 };

interface Issued {
  link: ValueLink;
  /** Sending it back counts as sending a credential (a token, a session cookie). */
  credential: boolean;
}

/**
 * One live session in the stitcher: the record the store keeps, plus what stitching needs and
 * the store does not (the next seq, the values it issued, what is still in flight).
 */
export class SessionState {
  readonly session: Session;
  nextSeq = 0;
  lastActive: number;
  /** lastActive when the stitcher last moved this session to the back of its order. */
  listedAt: number;
  /** Exchanges whose request arrived and whose end did not; a session in flight is never forgotten. */
  pending = 0;
  openWebSockets = 0;
  emitted = false;
  /** The --session-key value, once a keyed request joined. */
  key: string | undefined;
  private readonly issued: BoundedMap<string, Issued>;
  private readonly presented = new BoundedMap<string, true>(32);
  private uses = 0;

  constructor(
    id: string,
    t: number,
    client: Session['client'],
    private readonly limits: SessionLimits,
  ) {
    this.session = { id, startedAt: t, endedAt: t, tags: ['anonymous'], client, groupedBy: { by: 'connection' }, eventCount: 0, links: [] };
    this.lastActive = t;
    this.listedAt = t;
    this.issued = new BoundedMap(limits.issuedValues);
  }

  get authenticated(): boolean {
    return this.session.tags.includes('authenticated');
  }

  /** The next seq, for an event starting at `t`: events are placed as they end, so an early one can come late. */
  reserve(t: number): number {
    if (t < this.session.startedAt) this.session.startedAt = t;
    this.touch(t);
    return this.nextSeq++;
  }

  /** Gives back a reserved seq when nothing was reserved after it, so a move leaves no gap. */
  release(seq: number): void {
    if (seq === this.nextSeq - 1) this.nextSeq--;
  }

  touch(t: number): void {
    if (t > this.lastActive) this.lastActive = t;
  }

  /** Whether any response of this session issued a value (else its messages need no scanning). */
  get issuesValues(): boolean {
    return this.issued.size > 0;
  }

  /** Whether this value is one the session's responses issued or its requests presented. */
  knows(value: string): boolean {
    return this.issued.has(value) || this.presented.has(value);
  }

  /** Remembers the values a response issued; returns the ones new to this session. */
  issue(seq: number, found: readonly Found[]): string[] {
    const fresh: string[] = [];
    for (const f of found) {
      if (this.issued.has(f.value)) continue;
      this.issued.set(f.value, { link: { value: f.value, source: { seq, at: locationOf(f) }, uses: [] }, credential: isCredentialSource(f) });
      fresh.push(f.value);
    }
    return fresh;
  }

  present(values: readonly string[]): void {
    for (const v of values) this.presented.set(v, true);
  }

  /** Records every use of a value this session issued; true when one of them was a credential. */
  use(seq: number, found: readonly Found[]): boolean {
    let credential = false;
    let seen: Set<string> | undefined;
    for (const f of found) {
      const issued = this.issued.get(f.value);
      if (!issued || issued.link.source.seq === seq || this.uses >= this.limits.uses) continue;
      const at = locationOf(f);
      const id = `${f.value}\0${formatLocation(at)}`;
      if (seen?.has(id)) continue;
      (seen ??= new Set()).add(id);
      if (issued.link.uses.push({ seq, at }) === 1) this.session.links.push(issued.link);
      this.issued.set(f.value, issued);
      this.uses++;
      credential ||= issued.credential;
    }
    return credential;
  }

  authenticate(): void {
    if (this.authenticated) return;
    this.session.tags = ['authenticated', ...this.session.tags.filter((t) => t !== 'anonymous')];
  }

  joined(by: JoinedBy, idleGapMs: number): void {
    const reason: GroupingReason = by === 'client' ? { by, idleGapMs } : { by };
    if (RANK[reason.by] > RANK[this.session.groupedBy.by]) this.session.groupedBy = reason;
  }

  keyed(spec: string, value: string): void {
    this.key = value;
    this.session.groupedBy = { by: 'session-key', spec, value };
  }

  /** Counts an event that is about to be emitted; `end` is its last instant (µs). */
  record(end: number): void {
    this.session.eventCount++;
    if (end > this.session.endedAt) this.session.endedAt = end;
    this.touch(end);
    this.emitted = true;
  }
}
