import { describe, expect, it } from 'vitest';
import type { SessionResult } from '../../src/model/run.js';
import { FifoCheck, fifoMatcher, kendall, parseFifoSpec } from '../../src/replay/fifo.js';

const msg = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));

function result(copy: number, fifo: SessionResult['fifo']): SessionResult {
  return { role: 'primary', copy, sessionId: 's', tags: [], stage: 0, plannedStart: copy, actualStart: copy, end: copy, ok: true, exchanges: [], websockets: [], unreplaced: [], ...(fifo && { fifo }) };
}

describe('--expect-fifo', () => {
  it('matches the first server message whose field equals the value', () => {
    const match = fifoMatcher(parseFifoSpec('ws:$.type=ready'));
    expect(match('text', msg({ type: 'ready', user: 'a' }))).toBe(true);
    expect(match('text', msg({ type: 'queued', position: 1 }))).toBe(false);
    expect(match('text', Buffer.from('ready'))).toBe(false);
    expect(match('binary', msg({ type: 'ready' }))).toBe(false);
    expect(fifoMatcher(parseFifoSpec('ws:$.position=1'))('text', msg({ position: 1 }))).toBe(true);
  });

  it('takes an optional tie tolerance', () => {
    expect(parseFifoSpec('ws:$.type=ready')).toMatchObject({ equals: 'ready', toleranceMs: 10 });
    expect(parseFifoSpec('ws:$.type=ready~50ms')).toMatchObject({ equals: 'ready', toleranceMs: 50 });
    expect(parseFifoSpec('ws:$.type=ready~0')).toMatchObject({ toleranceMs: 0 });
  });

  it.each(['$.type=ready', 'ws:type=ready', 'ws:$.type', 'ws:$[=x', 'ws:$.type=~5ms'])('refuses "%s"', (spec) => {
    expect(() => parseFifoSpec(spec)).toThrow(expect.objectContaining({ code: 'REPRISE_USAGE' }));
  });

  it('passes when sessions reach the message in the order they joined, jitter within the tolerance aside', () => {
    const check = new FifoCheck(parseFifoSpec('ws:$.type=ready'));
    const ms = 1000;
    for (let i = 0; i < 4; i++) check.add(result(i, { recorded: true, joinedAt: 100 * ms * i, reachedAt: 1000 * ms + 100 * ms * i }));
    // Joined 2 ms after copy 3 and admitted 3 ms before it: simultaneous users, no inversion.
    check.add(result(4, { recorded: true, joinedAt: 302 * ms, reachedAt: 1297 * ms }));
    check.add(result(9, undefined));
    check.add(result(8, { recorded: false }));
    expect(check.result()).toMatchObject({ spec: 'ws:$.type=ready', ok: true, sessions: 5, reached: 5, inversions: 0, neverReached: [] });
    expect(check.result().kendallTau).toBeGreaterThan(0.9);
  });

  it('fails on inversions (LIFO) and on sessions that never got there', () => {
    const check = new FifoCheck(parseFifoSpec('ws:$.type=ready'));
    const reached = [0, 4, 3, 2, 1];
    reached.forEach((r, i) => check.add(result(i, { recorded: true, joinedAt: i * 100_000, reachedAt: 1_000_000 + r * 100_000 })));
    check.add(result(7, { recorded: true, joinedAt: 99 }));
    const r = check.result();
    expect(r).toMatchObject({ ok: false, sessions: 6, reached: 5, inversions: 6, neverReached: ['s#7'] });
    expect(r.kendallTau).toBeCloseTo(-0.2, 5);
  });

  it('fails when no session of the recording reached the message (a spec that matches nothing)', () => {
    const check = new FifoCheck(parseFifoSpec('ws:$.type=readdy'));
    check.add(result(0, { recorded: false }));
    expect(check.result().ok).toBe(false);
  });
});

describe('kendall', () => {
  /** The definition, pair by pair, to check the O(n log n) version against. */
  function naive(x: number[], y: number[], tol = 0): { discordant: number; tau: number } {
    let c = 0;
    let d = 0;
    let tx = 0;
    let ty = 0;
    const n = x.length;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = x[i]! - x[j]!;
        const dy = y[i]! - y[j]!;
        const a = Math.abs(dx) <= tol ? 0 : Math.sign(dx);
        const b = Math.abs(dy) <= tol ? 0 : Math.sign(dy);
        if (a === 0) tx++;
        if (b === 0) ty++;
        if (a * b > 0) c++;
        if (a * b < 0) d++;
      }
    }
    const pairs = (n * (n - 1)) / 2;
    return { discordant: d, tau: (c - d) / Math.sqrt((pairs - tx) * (pairs - ty)) };
  }

  it('agrees with the pairwise definition, ties included', () => {
    let seed = 42;
    const rand = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    for (let round = 0; round < 50; round++) {
      const n = 2 + rand(40);
      const x = Array.from({ length: n }, () => rand(10));
      const y = Array.from({ length: n }, () => rand(12));
      const tol = rand(3);
      const fast = kendall(x, y, tol);
      const slow = naive(x, y, tol);
      expect(fast.discordant).toBe(slow.discordant);
      if (Number.isFinite(slow.tau)) expect(fast.tau).toBeCloseTo(slow.tau, 10);
    }
  });

  it('treats values within the tolerance as ties, so jitter is no inversion', () => {
    expect(kendall([0, 1, 2], [5, 4.5, 6], 1).discordant).toBe(0);
    expect(kendall([0, 1, 2], [5, 4.5, 6], 0).discordant).toBe(1);
  });

  it('is 1 for the same order and -1 for the reverse', () => {
    expect(kendall([1, 2, 3, 4], [5, 6, 7, 8])).toEqual({ discordant: 0, tau: 1 });
    expect(kendall([1, 2, 3, 4], [8, 7, 6, 5])).toEqual({ discordant: 6, tau: -1 });
  });
});
