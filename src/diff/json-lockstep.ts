import type { PathSegment } from '../model/json-path.js';
import type { Difference, Emit } from './difference.js';
import { formatFieldPath } from './field-path.js';
import { diffJson, reordered } from './json-diff.js';
import {
  asBuffer,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  closesBefore,
  COLON,
  COMMA,
  countItems,
  endsToken,
  isPunctuation,
  isWs,
  keysOf,
  MALFORMED,
  OPEN_ARRAY,
  OPEN_OBJECT,
  parseSpan,
  QUOTE,
  skipString,
  skipValue,
  skipWs,
  tokenEnd,
} from './json-scan.js';
import { arrayLengthRisk, kindRisk } from './risk.js';

/**
 * The structural JSON diff, run on the two texts side by side instead of on parsed documents.
 * Two responses of one endpoint are mostly the same bytes, and parsing both costs several times
 * more than comparing them. So this finds the next differing byte with native compares, reads
 * the primary's tokens up to it (to know where in the document it is), and parses only the value
 * that holds it. Where the texts stop lining up (keys in another order, a member more or less)
 * it parses the enclosing object and lets json-diff.ts finish it; arrays get json-diff's rules
 * for lengths and order. The differences are the ones diffJson finds on the parsed documents.
 *
 * Returns false, having emitted nothing, when either text is not JSON: the caller then decides
 * what the bodies are. Bytes equal on both sides are not validated; they are equal either way.
 */
export function diffJsonTexts(primary: Uint8Array, candidate: Uint8Array, root: string, emit: Emit): boolean {
  const step = new Lockstep(asBuffer(primary), asBuffer(candidate), root);
  try {
    step.run();
  } catch (error) {
    if (error === MALFORMED) return false;
    throw error;
  }
  for (const d of step.found) emit(d);
  return true;
}

/** What the primary's next token may be. */
const enum Expect {
  Value,
  Key,
  Colon,
  /** A comma or the closing bracket. */
  After,
  Done,
}

interface Frame {
  array: boolean;
  startA: number;
  startB: number;
  /** Object: members whose value is complete. Array: elements begun (the current is count - 1). */
  count: number;
  /** Object: offset of the current key's string in the primary. */
  keyA: number;
  /** Array: where the current element starts on each side, and whether it differs. */
  elementA: number;
  elementB: number;
  elementDiffers: boolean;
  /** Array: the differing elements as [index, startA, endA, startB, endB] runs. */
  differing?: number[];
  /** Differences inside this container, held until it closes (an array may replace them). */
  diffs?: Difference[];
}

class Lockstep {
  /** The differences, once the root value has closed. */
  readonly found: Difference[] = [];
  private readonly frames: Frame[] = [];
  private expect = Expect.Value;
  /** The candidate's offset is the primary's plus delta, as long as the bytes agree. */
  private delta = 0;
  /** Where the last value ended on each side. */
  private endA = 0;
  private endB = 0;

  constructor(
    private readonly a: Buffer,
    private readonly b: Buffer,
    private readonly root: string,
  ) {}

  run(): void {
    const { a, b } = this;
    let i = 0;
    let m = this.mismatch(0);
    for (;;) {
      const ts = skipWs(a, i);
      if (ts > m || (ts === m && isWs(b[ts + this.delta]))) {
        // Only the spacing differs: line the candidate's next token up with the primary's.
        this.delta = skipWs(b, i + this.delta) - ts;
        i = ts;
        m = this.mismatch(ts);
        continue;
      }
      if (this.expect === Expect.Done) {
        if (ts !== a.length || skipWs(b, ts + this.delta) !== b.length) throw MALFORMED;
        return;
      }
      if (ts >= a.length) throw MALFORMED;
      const c = a[ts]!;
      if (this.expect === Expect.Value && (c === OPEN_OBJECT || c === OPEN_ARRAY)) {
        // Most containers are equal on both sides: one tight scan skips them whole.
        const end = closesBefore(a, ts, m);
        if (end >= 0) {
          this.beginValue(ts);
          this.endValue(end);
          i = end;
          continue;
        }
      }
      if (this.expect === Expect.Key && c === QUOTE) {
        const end = this.cleanMember(ts, m);
        if (end >= 0) {
          i = end;
          continue;
        }
      }
      const te = tokenEnd(a, ts, c);
      if (te < m || (te === m && (c === QUOTE || isPunctuation(c) || endsToken(b[te + this.delta])))) {
        this.apply(c, ts, te);
        i = te;
      } else {
        i = this.resolve(ts);
        m = this.mismatch(i);
      }
    }
  }

  /**
   * An object member whose bytes end before the next mismatch, key to value, in one step
   * (most members are): returns the offset after it, or -1 to go token by token.
   */
  private cleanMember(ts: number, m: number): number {
    const a = this.a;
    const colon = skipWs(a, skipString(a, ts));
    if (a[colon] !== COLON) return -1;
    const vs = skipWs(a, colon + 1);
    const c = a[vs];
    if (c === undefined || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === COMMA || c === COLON) return -1;
    let ve: number;
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      ve = closesBefore(a, vs, m);
      if (ve < 0) {
        if (vs >= m) return -1;
        // The mismatch is inside this member's value: go straight in, without scanning it again.
        this.frames[this.frames.length - 1]!.keyA = ts;
        this.open(c === OPEN_ARRAY, vs);
        return vs + 1;
      }
    } else {
      ve = tokenEnd(a, vs, c);
      if (ve > m || (ve === m && c !== QUOTE && !endsToken(this.b[ve + this.delta]))) return -1;
    }
    this.frames[this.frames.length - 1]!.keyA = ts;
    this.endValue(ve);
    return ve;
  }

  /** A token both sides share: follow the document's structure. */
  private apply(c: number, ts: number, te: number): void {
    const top = this.frames[this.frames.length - 1];
    switch (this.expect) {
      case Expect.Value:
        if (c === CLOSE_ARRAY && top?.array) return this.close(ts);
        if (isPunctuation(c) && c !== OPEN_OBJECT && c !== OPEN_ARRAY) throw MALFORMED;
        this.beginValue(ts);
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) return this.open(c === OPEN_ARRAY, ts);
        return this.endValue(te);
      case Expect.Key:
        if (c === CLOSE_OBJECT) return this.close(ts);
        if (c !== QUOTE) throw MALFORMED;
        top!.keyA = ts;
        this.expect = Expect.Colon;
        return;
      case Expect.Colon:
        if (c !== COLON) throw MALFORMED;
        this.expect = Expect.Value;
        return;
      case Expect.After:
        if (c === COMMA) {
          if (top!.array) this.endElement(top!);
          this.expect = top!.array ? Expect.Value : Expect.Key;
          return;
        }
        if (c !== (top!.array ? CLOSE_ARRAY : CLOSE_OBJECT)) throw MALFORMED;
        if (top!.array) this.endElement(top!);
        return this.close(ts);
      case Expect.Done:
        throw MALFORMED;
    }
  }

  /** The bytes differ inside the token at `ts`; returns where the primary goes on. */
  private resolve(ts: number): number {
    const top = this.frames[this.frames.length - 1];
    switch (this.expect) {
      case Expect.Value:
        if (top?.array && (this.a[ts] === CLOSE_ARRAY || this.b[ts + this.delta] === CLOSE_ARRAY)) return this.lengthDiffers(top);
        return this.valueDiffers(ts);
      case Expect.Key:
        return this.membersDiffer(top!);
      case Expect.After:
        if (!top) throw MALFORMED;
        return top.array ? this.lengthDiffers(top) : this.membersDiffer(top);
      default:
        throw MALFORMED;
    }
  }

  private valueDiffers(ts: number): number {
    this.beginValue(ts);
    const ea = skipValue(this.a, ts);
    const sb = ts + this.delta;
    const eb = skipValue(this.b, sb);
    diffJson(parseSpan(this.a, ts, ea), parseSpan(this.b, sb, eb), this.root, this.emit, { prefix: this.segments(this.frames.length) });
    this.delta = eb - ea;
    this.endValue(ea);
    return ea;
  }

  /** Keys in another order, or a member more or less: json-diff finishes the object. */
  private membersDiffer(frame: Frame): number {
    const ea = this.endOf(this.a, frame.startA, frame);
    const eb = this.endOf(this.b, frame.startB, frame);
    const skipKeys = new Set(keysOf(this.a, frame.startA, frame.count));
    const prefix = this.segments(this.frames.length - 1);
    diffJson(parseSpan(this.a, frame.startA, ea), parseSpan(this.b, frame.startB, eb), this.root, this.emit, { prefix, skipKeys });
    this.delta = eb - ea;
    this.close(ea - 1);
    return ea;
  }

  /** Where the container ends; the root's end is the text's, found without scanning it. */
  private endOf(buf: Buffer, start: number, frame: Frame): number {
    if (frame !== this.frames[0]) return skipValue(buf, start);
    let end = buf.length;
    while (end > start && isWs(buf[end - 1])) end--;
    return end;
  }

  /** Arrays of different lengths: the length is the difference (as in json-diff). */
  private lengthDiffers(frame: Frame): number {
    const [lengthA, closeA] = countItems(this.a, frame.startA + 1);
    const [lengthB, closeB] = countItems(this.b, frame.startB + 1);
    frame.diffs = [this.difference('array-length', arrayLengthRisk(lengthA, lengthB), lengthA, lengthB)];
    delete frame.differing;
    this.delta = closeB - closeA;
    this.close(closeA);
    return closeA + 1;
  }

  private beginValue(ts: number): void {
    const top = this.frames[this.frames.length - 1];
    if (!top?.array) return;
    top.count++;
    top.elementA = ts;
    top.elementB = ts + this.delta;
  }

  private endValue(endA: number): void {
    this.endA = endA;
    this.endB = endA + this.delta;
    const top = this.frames[this.frames.length - 1];
    if (!top) {
      this.expect = Expect.Done;
      return;
    }
    if (!top.array) top.count++;
    this.expect = Expect.After;
  }

  private endElement(frame: Frame): void {
    if (!frame.elementDiffers) return;
    (frame.differing ??= []).push(frame.count - 1, frame.elementA, this.endA, frame.elementB, this.endB);
    frame.elementDiffers = false;
  }

  private open(array: boolean, ts: number): void {
    this.frames.push({ array, startA: ts, startB: ts + this.delta, count: 0, keyA: 0, elementA: 0, elementB: 0, elementDiffers: false });
    this.expect = array ? Expect.Value : Expect.Key;
  }

  /** The container's closing bracket is at `ts` in the primary. */
  private close(ts: number): void {
    const frame = this.frames.pop()!;
    if (frame.array && frame.differing && frame.differing.length > 5) this.checkOrder(frame, ts + 1);
    for (const d of frame.diffs ?? []) this.emit(d);
    this.endValue(ts + 1);
  }

  /** Several elements differ: they may be the same elements in another order (see json-diff). */
  private checkOrder(frame: Frame, endA: number): void {
    const runs = frame.differing!;
    const xs: unknown[] = [];
    const ys: unknown[] = [];
    for (let k = 0; k < runs.length; k += 5) {
      xs.push(parseSpan(this.a, runs[k + 1]!, runs[k + 2]!));
      ys.push(parseSpan(this.b, runs[k + 3]!, runs[k + 4]!));
    }
    if (!reordered(xs, ys)) return;
    const primary = parseSpan(this.a, frame.startA, endA);
    const candidate = parseSpan(this.b, frame.startB, endA + this.delta);
    frame.diffs = [this.difference('array-order', kindRisk('array-order'), primary, candidate)];
  }

  /** A difference of the container that the innermost frames hold. */
  private difference(kind: 'array-length' | 'array-order', risk: Difference['risk'], primary: unknown, candidate: unknown): Difference {
    const segments = this.segments(this.frames.length - (kind === 'array-length' ? 1 : 0));
    return { path: formatFieldPath(this.root, segments), concretePath: formatFieldPath(this.root, segments, true), kind, risk, primary, candidate };
  }

  private readonly emit = (d: Difference): void => {
    const top = this.frames[this.frames.length - 1];
    if (!top) {
      this.found.push(d);
      return;
    }
    (top.diffs ??= []).push(d);
    top.elementDiffers = true;
  };

  /** The path to the current value of each of the first `depth` frames; keys decoded only now. */
  private segments(depth: number): PathSegment[] {
    const out: PathSegment[] = [];
    for (let k = 0; k < depth; k++) {
      const f = this.frames[k]!;
      out.push(f.array ? f.count - 1 : (parseSpan(this.a, f.keyA, skipString(this.a, f.keyA)) as string));
    }
    return out;
  }

  /** The first offset from `from` where the primary and the candidate (shifted by delta) differ. */
  private mismatch(from: number): number {
    const { a, b, delta } = this;
    let lo = from;
    let hi = Math.min(a.length, b.length - delta);
    while (hi - lo > 32) {
      const mid = (lo + hi) >>> 1;
      if (a.compare(b, lo + delta, mid + delta, lo, mid) === 0) lo = mid;
      else hi = mid;
    }
    while (lo < hi && a[lo] === b[lo + delta]) lo++;
    return lo;
  }
}

