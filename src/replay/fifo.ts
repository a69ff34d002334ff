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
 * request would blame the queue for the jitter of the login calls before it.
 */
export interface FifoSpec {
  spec: string;
  path: PathSegment[];
  equals: string;
}

/** neverReached lists at most this many copies; `sessions - reached` keeps the exact count. */
const LISTED = 100;

export function parseFifoSpec(spec: string): FifoSpec {
  const m = /^ws:(\$[^=]*)=(.*)$/.exec(spec.trim());
  const bad = (): UsageError => new UsageError(`bad --expect-fifo "${spec}": use ws:JSONPATH=VALUE, e.g. ws:$.type=ready`);
  if (!m) throw bad();
  try {
    return { spec, path: parseJsonPath(m[1]!), equals: m[2]! };
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
    const { discordant, tau } = kendall(this.joined, this.reachedAt);
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
 * Kendall's tau-b between x and y in O(n log n) (Knight's method): sort by x then y, count ties,
 * count discordant pairs as the swaps a merge sort on y makes. Pairs tied in x are never
 * discordant.
 */
export function kendall(x: readonly number[], y: readonly number[]): { discordant: number; tau: number } {
  const n = x.length;
  if (n < 2) return { discordant: 0, tau: 1 };
  const order = [...x.keys()].sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  const pairs = (n * (n - 1)) / 2;
  const tiedX = tiedPairs(order, (i) => x[i]!);
  const tiedXY = tiedPairs(order, (i) => `${x[i]}|${y[i]}`);
  const ys = order.map((i) => y[i]!);
  const discordant = mergeCountInversions(ys);
  const tiedY = tiedPairs(
    ys.map((_, i) => i),
    (i) => ys[i]!,
  );
  const concordant = pairs - tiedX - tiedY + tiedXY - discordant;
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  return { discordant, tau: denominator === 0 ? 1 : (concordant - discordant) / denominator };
}

/** Pairs with equal keys among items that arrive sorted by that key. */
function tiedPairs<K>(items: readonly number[], key: (i: number) => K): number {
  let total = 0;
  let run = 1;
  for (let i = 1; i <= items.length; i++) {
    if (i < items.length && key(items[i]!) === key(items[i - 1]!)) run++;
    else {
      total += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return total;
}

/** Sorts `values` in place and returns how many pairs were out of order (strictly greater first). */
function mergeCountInversions(values: number[]): number {
  const buffer = new Array<number>(values.length);
  let inversions = 0;
  for (let width = 1; width < values.length; width *= 2) {
    for (let lo = 0; lo < values.length; lo += 2 * width) {
      const mid = Math.min(lo + width, values.length);
      const hi = Math.min(lo + 2 * width, values.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (values[j]! < values[i]!) {
          inversions += mid - i;
          buffer[k++] = values[j++]!;
        } else buffer[k++] = values[i++]!;
      }
      while (i < mid) buffer[k++] = values[i++]!;
      while (j < hi) buffer[k++] = values[j++]!;
      for (let m = lo; m < hi; m++) values[m] = buffer[m]!;
    }
  }
  return inversions;
}
