import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/record/summary.js';

describe('formatSummary', () => {
  it('says in one line what was recorded, and what was lost', () => {
    const base = { name: 'r1', dir: 'recordings/r1', durationMs: 65_000, sessions: 3, exchanges: 40, wsConnections: 2, wsMessages: 120, bytes: 3 * 1024 * 1024, dropped: 0 };
    expect(formatSummary(base)).toBe('recorded "r1" in 1.1m: 3 sessions, 40 exchanges, 2 WebSockets, 120 WS messages, 3.0 MiB, 0 dropped -> recordings/r1');
    expect(formatSummary({ ...base, dropped: 7 })).toContain('7 dropped (store behind or failing)');
  });
});
