import { describe, expect, it } from 'vitest';
import type { ExchangeResult, SessionResult, WsResult } from '../../src/model/run.js';
import { LatencyHistogram } from '../../src/report/latency.js';
import { ReplaySummary } from '../../src/report/replay-summary.js';

const T0 = 1_800_000_000_000_000;

function exchange(url: string, latencyMs: number, atS: number, failure?: string): ExchangeResult {
  return { seq: 1, method: 'GET', url, status: failure ? 500 : 200, recordedStatus: 200, bodySize: 2, latencyMs, sentAt: T0 + atS * 1e6, ...(failure && { failure }) };
}

function ws(handshakeMs: number, atS: number, failure?: string): WsResult {
  return { seq: 2, url: '/ws/chat?token=x', recordedStatus: 101, status: 101, handshakeMs, sentAt: T0 + atS * 1e6, received: [], sent: 0, recordedServerMessages: 0, ...(failure && { failure }) };
}

function session(copy: number, o: { tags: string[]; stage: number; startS: number; endS: number; exchanges: ExchangeResult[]; websockets?: WsResult[]; unreplaced?: number }): SessionResult {
  const websockets = o.websockets ?? [];
  return {
    role: 'primary',
    copy,
    sessionId: `s${copy}`,
    tags: o.tags,
    stage: o.stage,
    plannedStart: T0 + o.startS * 1e6,
    actualStart: T0 + o.startS * 1e6,
    end: T0 + o.endS * 1e6,
    ok: [...o.exchanges, ...websockets].every((x) => !x.failure),
    exchanges: o.exchanges,
    websockets,
    unreplaced: Array.from({ length: o.unreplaced ?? 0 }, () => ({ value: 'v', seq: 2, at: 'url' })),
  };
}

describe('ReplaySummary', () => {
  it('accumulates sessions, exchanges, tags, stages, endpoints, failures and the timeline', () => {
    const summary = new ReplaySummary({
      runId: 'r1',
      recording: 'rec',
      target: 'http://t',
      startedAt: T0,
      stages: [
        { index: 1, spec: '1/1s*2' },
        { index: 2, spec: '2/1s*2' },
        { index: 3, spec: '1/1s*1' },
      ],
    });
    summary.add(session(0, { tags: ['authenticated'], stage: 1, startS: 0, endS: 0.5, exchanges: [exchange('/users/17', 10, 0.1), exchange('/users/42', 20, 0.2)] }));
    summary.add(session(1, { tags: ['authenticated'], stage: 1, startS: 0.2, endS: 1.5, exchanges: [exchange('/users/5', 30, 1.1, 'status 2xx -> 5xx')], websockets: [ws(5, 1.2, 'ws closed abnormally (1006)')], unreplaced: 2 }));
    summary.add(session(2, { tags: ['anonymous'], stage: 2, startS: 1.1, endS: 2.2, exchanges: [exchange('/health', 40, 2.1)] }));
    const lag = new LatencyHistogram();
    lag.record(1);
    lag.record(3);
    const r = summary.build({ endedAt: T0 + 3e6, lag, missedStarts: 4 });

    expect(r).toMatchObject({ kind: 'replay', runId: 'r1', recording: 'rec', target: 'http://t', durationMs: 3000, missedStarts: 4, unreplacedValues: 2 });
    expect(r.startedAt).toBe(new Date(T0 / 1000).toISOString());
    expect(r.sessions).toEqual({ total: 3, succeeded: 2, failed: 1 });
    expect(r.exchanges).toEqual({ total: 5, succeeded: 3, failed: 2 });
    expect(r.successRate).toBeCloseTo(2 / 3);
    expect(r.latencyMs).toMatchObject({ count: 5, max: 40 });
    expect(r.latencyMs.p50).toBeCloseTo(20, 1);
    expect(r.byTag.authenticated).toMatchObject({ sessions: 2, successRate: 0.5 });
    expect(r.byTag.anonymous).toMatchObject({ sessions: 1, successRate: 1 });
    expect(r.stages.map((s) => [s.index, s.spec, s.sessions])).toEqual([
      [1, '1/1s*2', 2],
      [2, '2/1s*2', 1],
      [3, '1/1s*1', 0],
    ]);
    expect(r.stages[0]!.byTag.authenticated!.sessions).toBe(2);
    expect(r.endpoints.map((e) => [e.endpoint, e.requests, e.failed])).toEqual([
      ['GET /users/:id', 3, 1],
      ['GET /health', 1, 0],
      ['WS /ws/chat', 1, 1],
    ]);
    expect(r.failures).toEqual([
      { reason: 'status 2xx -> 5xx', count: 1 },
      { reason: 'ws closed abnormally (1006)', count: 1 },
    ]);
    expect(r.lagMs.max).toBeCloseTo(3, 2);
    expect(r.thresholds).toEqual([]);
    expect(r.timeline.map((p) => [p.t, p.started, p.finished, p.active, p.requests, p.failed])).toEqual([
      [0, 2, 1, 1, 2, 0],
      [1, 1, 1, 1, 2, 2],
      [2, 0, 1, 0, 1, 0],
    ]);
    expect(r.timeline[0]!.latencyMs.p99).toBeCloseTo(20, 0); // two significant digits per second
  });

  it('reports an empty run with zero rates, not NaN', () => {
    const r = new ReplaySummary({ runId: 'r', recording: 'x', target: 't', startedAt: T0, stages: [{ index: 0, spec: 'recorded' }] }).build({ endedAt: T0, lag: new LatencyHistogram(), missedStarts: 0 });
    expect(r.successRate).toBe(0);
    expect(r.latencyMs).toEqual({ count: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
