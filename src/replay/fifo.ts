import { parseDuration } from '../model/duration.js';
import { UsageError } from '../model/errors.js';
import type { Opcode } from '../model/event.js';
import { JsonPathError, parseJsonPath, queryJson, type PathSegment } from '../model/json-path.js';
import type { SessionResult } from '../model/run.js';
import type { FifoResult } from '../report/model.js';

/**
 * Queue fairness: `--expect-fifo ws:$.type=ready` names a server WebSocket message (the first
 * whose JSON field equals the value); sessions must reach it in the order they started waiting
 * for it, and every session whose recording reached it must reach it again. A session starts
 * waiting when the connection that gets the message asks to join (its handshake): a queue can
 * only be fair to the order in which users arrive at it, and ordering by the session's first
 * request would blame the queue for the jitter of the login calls before it. Joins and
 * arrivals within the tolerance of each other are ties: with free slots every user is admitted
 * at once, and which of two simultaneous users got there first is noise, not unfairness.
 */
export interface FifoSpec {
  spec: string;
  path: PathSegment[];
  equals: string;
  /** Joins or arrivals this close together are ties, never inversions: jitter is not unfairness. */
  toleranceMs: number;
}

export const DEFAULT_FIFO_TOLERANCE_MS = 10;

/** neverReached lists at most this many copies; `sessions - reached` keeps the exact count. */
const LISTED = 100;

/** `ws:JSONPATH=VALUE`, optionally `~DURATION` for the tie tolerance (`ws:$.type=ready~50ms`). */
export function parseFifoSpec(spec: string): FifoSpec {
  const m = /^ws:(\$[^=]*)=(.*?)(?:~(\d+(?:\.\d+)?(?:us|ms|s)?))?$/.exec(spec.trim());
  const bad = (): UsageError => new UsageError(`bad --expect-fifo "${spec}": use ws:JSONPATH=VALUE[~TOLERANCE], e.g. ws:$.type=ready`);
  if (!m || m[2] === '') throw bad();
  try {
    const toleranceMs = m[3] === undefined ? DEFAULT_FIFO_TOLERANCE_MS : parseDuration(m[3]);
    return { spec, path: parseJsonPath(m[1]!), equals: m[2]!, toleranceMs };
  } catch (error) {
    if (error instanceof JsonPathError) throw bad();
    throw error;
  }
}

export function fifoMatcher(spec: FifoSpec): (opcode: Opcode, data: Uint8Array) => boolean {
  return (opcode, data) => {
    if (opcode !== 'text' || data[0] !== 0x7b) return false;
    try {
      const value = queryJson(JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')), spec.path)[0];
      return value !== undefined && value !== null && typeof value !== 'object' && String(value) === spec.equals;
    } catch {
      return false;
    }
  };
}

/** Collects one role's results and judges them; memory is two numbers per session. */
export class FifoCheck {
  private readonly joined: number[] = [];
  private readonly reachedAt: number[] = [];
  private readonly never: string[] = [];
  private sessions = 0;

  constructor(private readonly spec: FifoSpec) {}

  add(result: SessionResult): void {
    if (!result.fifo?.recorded) return;
    this.sessions++;
    if (result.fifo.reachedAt === undefined || result.fifo.joinedAt === undefined) {
      if (this.never.length < LISTED) this.never.push(`${result.sessionId}#${result.copy}`);
      return;
    }
    this.joined.push(result.fifo.joinedAt);
    this.reachedAt.push(result.fifo.reachedAt);
  }

  result(): FifoResult {
    const { discordant, tau } = kendall(this.joined, this.reachedAt, this.spec.toleranceMs * 1000);
    const reached = this.joined.length;
    return {
      spec: this.spec.spec,
      ok: this.sessions > 0 && reached === this.sessions && discordant === 0,
      sessions: this.sessions,
      reached,
      inversions: discordant,
      kendallTau: tau,
      neverReached: this.never,
    };
  }
}

/**
 * Kendall's tau-b between x and y, where values within `tolerance` of each other are ties, in
 * O(n log n): walk the points in x order, adding to a Fenwick tree (over y ranks) every point
 * that lies more than `tolerance` before the current one, and count how many of those lie more
 * than `tolerance` above it (discordant) or below it (concordant).
 */
export function kendall(x: readonly number[], y: readonly number[], tolerance = 0): { discordant: number; tau: number } {
  const n = x.length;
  if (n < 2) return { discordant: 0, tau: 1 };
  const byX = [...x.keys()].sort((a, b) => x[a]! - x[b]!);
  const ys = [...y].sort((a, b) => a - b);
  const tree = new Fenwick(n);
  let discordant = 0;
  let concordant = 0;
  let added = 0;
  let next = 0;
  for (const j of byX) {
    while (next < n && x[byX[next]!]! < x[j]! - tolerance) {
      tree.add(countBelow(ys, y[byX[next]!]!, true) - 1);
      added++;
      next++;
    }
    discordant += added - tree.prefix(countBelow(ys, y[j]! + tolerance, true));
    concordant += tree.prefix(countBelow(ys, y[j]! - tolerance, false));
  }
  const pairs = (n * (n - 1)) / 2;
  const tiedX = tiedPairs(byX.map((i) => x[i]!), tolerance);
  const tiedY = tiedPairs(ys, tolerance);
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  return { discordant, tau: denominator === 0 ? 1 : (concordant - discordant) / denominator };
}

/** Pairs of sorted values no more than `tolerance` apart. */
function tiedPairs(sorted: readonly number[], tolerance: number): number {
  let total = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! > tolerance) lo++;
    total += hi - lo;
  }
  return total;
}

/** How many of the sorted values are below v (with `orEqual`, at most v). */
function countBelow(sorted: readonly number[], v: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (orEqual ? sorted[mid]! <= v : sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per rank; prefix(k) is how many were added at ranks below k. */
class Fenwick {
  private readonly counts: Int32Array;

  constructor(size: number) {
    this.counts = new Int32Array(size + 1);
  }

  add(rank: number): void {
    for (let i = rank + 1; i < this.counts.length; i += i & -i) this.counts[i]!++;
  }

  prefix(k: number): number {
    let sum = 0;
    for (let i = k; i > 0; i -= i & -i) sum += this.counts[i]!;
    return sum;
  }
}
