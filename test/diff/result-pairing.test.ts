import { describe, expect, it } from 'vitest';
import { DiffAccumulator } from '../../src/diff/accumulator.js';
import { DEFAULT_HEADERS } from '../../src/diff/response-model.js';
import type { RecordedSessions } from '../../src/diff/recorded-reference.js';
import { ResultPairer } from '../../src/diff/result-pairing.js';
import { RouteTemplates } from '../../src/diff/routes.js';
import { parseWsKey } from '../../src/diff/ws-align.js';
import type { ExchangeResult, SessionResult, TargetRole, WsResult } from '../../src/model/run.js';

function exchange(seq: number, body: unknown, status = 200): ExchangeResult {
  const bytes = Buffer.from(JSON.stringify(body));
  return { seq, method: 'GET', url: `/items/${seq}`, status, headers: [['content-type', 'application/json']], body: bytes, bodySize: bytes.length, sentAt: 0 };
}

function socket(seq: number, messages: unknown[], code = 1000): WsResult {
  return {
    seq,
    url: '/ws',
    recordedStatus: 101,
    status: 101,
    sentAt: 0,
    received: messages.map((m) => ({ opcode: 'text' as const, data: Buffer.from(JSON.stringify(m)), at: 0 })),
    sent: 0,
    recordedServerMessages: messages.length,
    close: { code, reason: '', by: 'server', at: 0 },
  };
}

function result(role: TargetRole, copy: number, exchanges: ExchangeResult[], websockets: WsResult[] = []): SessionResult {
  return { role, copy, sessionId: 's1', tags: ['anonymous'], stage: 0, plannedStart: 0, actualStart: 0, end: 0, ok: true, exchanges, websockets, unreplaced: [] };
}

function pairer(roles: TargetRole[], recorded?: RecordedSessions) {
  const accumulator = new DiffAccumulator({ noiseSource: roles.includes('secondary') ? 'secondary' : 'recorded' });
  const models = Object.fromEntries(roles.map((r) => [r, { headers: DEFAULT_HEADERS }]));
  const p = new ResultPairer({ roles, models, routes: new RouteTemplates(), accumulator, wsKey: parseWsKey('$.type'), ...(recorded && { recorded }) });
  return { p, accumulator };
}

const brief = (acc: DiffAccumulator) => acc.routes().map((r) => `${r.route} ${r.requests}: ${r.differences.map((d) => `${d.path} ${d.kind} ${d.raw}/${d.noise}`).join(', ')}`);

describe('ResultPairer', () => {
  it('pairs results by copy whatever order they arrive in, and by seq within a copy', async () => {
    const { p, accumulator } = pairer(['primary', 'candidate', 'secondary']);
    p.add(result('candidate', 1, [exchange(1, { n: 1 }), exchange(2, { n: 9 })]));
    p.add(result('primary', 0, [exchange(1, { n: 1 }), exchange(2, { n: 2 })]));
    p.add(result('secondary', 1, [exchange(1, { n: 1 }), exchange(2, { n: 2 })]));
    p.add(result('secondary', 0, [exchange(1, { n: 1 }), exchange(2, { n: 2 })]));
    p.add(result('primary', 1, [exchange(1, { n: 1 }), exchange(2, { n: 2 })]));
    p.add(result('candidate', 0, [exchange(2, { n: 2 }), exchange(1, { n: 1 })]));
    await p.finish();
    expect(brief(accumulator)).toEqual(['GET /items/:id 4: body.n value 1/0']);
    expect(accumulator.routes()[0]!.differences[0]!.samples[0]!.at).toBe('s1#1 seq 2');
  });

  it('counts what one target never sent as a status difference, at finish for copies a role never reported', async () => {
    const { p, accumulator } = pairer(['primary', 'candidate']);
    p.add(result('primary', 0, [exchange(1, { n: 1 }), exchange(2, { n: 2 })]));
    p.add(result('candidate', 0, [exchange(1, { n: 1 })]));
    p.add(result('primary', 1, [exchange(1, { n: 1 })]));
    await p.finish();
    const d = accumulator.routes()[0]!.differences[0]!;
    expect(d).toMatchObject({ path: 'status', kind: 'status', raw: 2, risk: 'high' });
    expect(d.samples[0]).toMatchObject({ primary: 200, candidate: 'not sent' });
  });

  it('diffs WebSocket connections by seq, and takes noise from the recording without a secondary', async () => {
    const recorded = {
      get: async () => ({
        http: new Map(),
        ws: new Map([[3, { handshake: 101, messages: [{ bytes: Buffer.from('{"type":"ready","n":7}'), binary: false }], close: { code: 1000, by: 'server' as const } }]]),
      }),
    } as unknown as RecordedSessions;
    const { p, accumulator } = pairer(['primary', 'candidate'], recorded);
    p.add(result('primary', 0, [], [socket(3, [{ type: 'ready', n: 1 }])]));
    p.add(result('candidate', 0, [], [socket(3, [{ type: 'ready', n: 2 }], 1011)]));
    await p.finish();
    const [route] = accumulator.routes();
    expect(route!.route).toBe('WS /ws');
    expect(route!.differences.map((d) => `${d.path} ${d.kind} ${d.risk}`)).toEqual(['ws.close.code ws-close high']);
    expect(route!.noise).toEqual([{ path: 'ws.message[type=ready].n', kind: 'value', count: 1, reason: 'recorded', noise: 1 }]);
  });

  it('reports a failure of the comparison at finish', async () => {
    const recorded = { get: async () => Promise.reject(new Error('store closed')) } as unknown as RecordedSessions;
    const { p } = pairer(['primary', 'candidate'], recorded);
    p.add(result('primary', 0, [exchange(1, {})]));
    p.add(result('candidate', 0, [exchange(1, {})]));
    await expect(p.finish()).rejects.toThrow('store closed');
  });
});
