import type { SessionResult } from '../model/run.js';
import type { ValueLink } from '../model/session.js';
import { cookiesOf, findVerbatim, readAt, replaceAt, type Carrier } from './carrier.js';

type Unreplaced = SessionResult['unreplaced'][number];
type Use = { link: ValueLink; at: ValueLink['uses'][number]['at'] };

const NONE: readonly number[] = [];

/** Where links come from and go to, per seq: the same for every copy of a session, so built once. */
const indexes = new WeakMap<readonly ValueLink[], { bySource: Map<number, ValueLink[]>; byUse: Map<number, Use[]> }>();

function indexOf(links: readonly ValueLink[]): { bySource: Map<number, ValueLink[]>; byUse: Map<number, Use[]> } {
  let index = indexes.get(links);
  if (!index) {
    index = { bySource: new Map(), byUse: new Map() };
    for (const link of links) {
      push(index.bySource, link.source.seq, link);
      for (const use of link.uses) push(index.byUse, use.seq, { link, at: use.at });
    }
    indexes.set(links, index);
  }
  return index;
}

/**
 * One virtual user's correlation state. The recorder found value links (a token issued in the
 * login response, sent back in later requests); here each link learns its fresh value from this
 * user's replayed response and writes it at every use. A small cookie jar does the same for any
 * cookie the target sets, linked or not, so each user keeps its own cookies.
 */
export class Substitution {
  private readonly bySource: Map<number, ValueLink[]>;
  private readonly byUse: Map<number, Use[]>;
  private fresh: Map<ValueLink, string> | undefined;
  private jar: Map<string, string> | undefined;

  constructor(private readonly links: readonly ValueLink[]) {
    ({ bySource: this.bySource, byUse: this.byUse } = indexOf(links));
  }

  /** The seqs whose responses this event's request needs before it may be sent. */
  sourcesFor(seq: number): readonly number[] {
    const uses = this.byUse.get(seq);
    return uses ? [...new Set(uses.map((u) => u.link.source.seq))] : NONE;
  }

  /** Whether the response of this event issues a linked value (then its body must be kept). */
  isSource(seq: number): boolean {
    return this.bySource.has(seq);
  }

  /** Takes the fresh values out of the replayed response of event `seq`. */
  learn(seq: number, recorded: Carrier | undefined, replayed: Carrier): void {
    for (const { name, value } of cookiesOf(replayed)) (this.jar ??= new Map()).set(name, value);
    for (const link of this.bySource.get(seq) ?? []) {
      const value = freshValue(link, recorded, replayed);
      if (value !== undefined) (this.fresh ??= new Map()).set(link, value);
    }
  }

  /** Writes fresh values into what event `seq` is about to send. */
  apply(seq: number, carrier: Carrier): void {
    for (const { link, at } of this.byUse.get(seq) ?? []) {
      const value = this.fresh?.get(link);
      if (value !== undefined && value !== link.value) replaceAt(carrier, at, link.value, value);
    }
    if (this.jar) this.applyJar(carrier, this.jar);
  }

  /** Recorded linked values still in what event `seq` sends, where a different fresh value (or none) exists. */
  unreplaced(seq: number, carrier: Carrier): Unreplaced[] {
    const out: Unreplaced[] = [];
    if (this.links.length === 0) return out;
    for (const link of this.links) {
      if (seq <= link.source.seq || this.fresh?.get(link) === link.value) continue;
      const at = findVerbatim(carrier, link.value);
      if (at !== undefined) out.push({ value: link.value, seq, at });
    }
    return out;
  }

  private applyJar(carrier: Carrier, jar: Map<string, string>): void {
    for (const { name } of cookiesOf(carrier)) {
      const value = jar.get(name);
      if (value !== undefined) replaceCookie(carrier, name, value);
    }
  }
}

/**
 * The fresh value sits where the recorded one sat. When the recorded field held more than the
 * value (`Bearer abc`, `/next?token=abc`), the same surrounding text is stripped from the fresh
 * field, so only the issued part is carried over.
 */
function freshValue(link: ValueLink, recorded: Carrier | undefined, replayed: Carrier): string | undefined {
  const now = readAt(replayed, link.source.at);
  if (now === undefined) return undefined;
  const then = recorded ? readAt(recorded, link.source.at) : undefined;
  if (then === undefined || then === link.value) return now;
  const at = then.indexOf(link.value);
  if (at < 0) return now;
  const prefix = then.slice(0, at);
  const suffix = then.slice(at + link.value.length);
  if (!now.startsWith(prefix) || !now.endsWith(suffix) || now.length < prefix.length + suffix.length) return now;
  return now.slice(prefix.length, now.length - suffix.length);
}

function replaceCookie(carrier: Carrier, name: string, value: string): void {
  const current = readAt(carrier, { in: 'cookie', name });
  if (current !== undefined && current !== value) replaceAt(carrier, { in: 'cookie', name }, current, value);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
