import type {
  CompareReport,
  GroupSummary,
  LatencySummary,
  ReplayReport,
  StageSummary,
  TimelinePoint,
} from '../../src/report/model.js';

/**
 * Hand-built reports for the renderers' tests: the ramp story (authenticated sessions collapse
 * on the primary while the candidate holds) with hostile content wherever a recording or a
 * target can put text: routes, failure reasons, samples, noise reasons, the recording's name.
 */
export const XSS = {
  script: '<script>window.__xss = "script"</script>',
  attribute: '"><img src=x onerror="window.__xss=\'img\'">',
  closeScript: '</script><script>window.__xss="close"</script><!--',
  svg: "<svg onload=window.__xss='svg'>",
  separators: 'line\u2028sep\u2029para',
} as const;

export function latency(p50: number, scale = 1, count = 1000): LatencySummary {
  return { count, p50: p50 * scale, p90: p50 * 2.1 * scale, p95: p50 * 2.8 * scale, p99: p50 * 4.5 * scale, max: p50 * 9 * scale };
}

function group(sessions: number, successRate: number, p50: number): GroupSummary {
  return { sessions, successRate, latencyMs: latency(p50, 1, sessions * 4) };
}

/** A deterministic wobble in [0, 1): the timeline must look like a run, not a ruler. */
function wobble(i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

export function timeline(seconds: number, collapseAt = Number.POSITIVE_INFINITY, seed = 0): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let active = 0;
  for (let t = 0; t < seconds; t++) {
    const w = (k: number) => wobble(t + k + seed);
    const started = Math.round(5 + t * 0.8 + w(0) * 4);
    const finished = Math.max(0, started - 2 + Math.round(w(100) * 3));
    active = Math.max(0, active + started - finished);
    const stressed = t >= collapseAt ? 1 + (t - collapseAt) * 0.4 : 1;
    const p50 = (40 + w(7) * 15) * stressed;
    const requests = started * 3 + Math.round(w(3) * 6);
    const failed = t >= collapseAt ? Math.round(requests * Math.min(0.6, (t - collapseAt) * 0.05)) : 0;
    points.push({ t, started, finished, active, requests, failed, latencyMs: { p50, p95: p50 * 2.6, p99: p50 * 4 } });
  }
  return points;
}

const STAGE_SPECS = ['1/1s*10', '10/1s*100', '50/1s*500'];

function stages(collapse: boolean): StageSummary[] {
  return STAGE_SPECS.map((spec, index) => {
    const sessions = [10, 100, 500][index]!;
    const authRate = collapse ? [1, 0.97, 0.42][index]! : [1, 1, 0.995][index]!;
    const auth = group(Math.round(sessions * 0.6), authRate, 45 + index * 20);
    const anon = group(sessions - auth.sessions, 1, 30 + index * 5);
    const successRate = (auth.sessions * auth.successRate + anon.sessions) / sessions;
    return { index, spec, sessions, successRate, latencyMs: latency(40 + index * 15, 1, sessions * 4), byTag: { authenticated: auth, anonymous: anon } };
  });
}

export function replayReport(overrides: Partial<ReplayReport> = {}): ReplayReport {
  return {
    kind: 'replay',
    runId: 'r-20260301-101500-ab12',
    recording: `staging-${XSS.svg}`,
    target: 'http://127.0.0.1:8080',
    startedAt: '2026-03-01T10:15:00.000Z',
    durationMs: 61_250,
    ok: false,
    sessions: { total: 610, succeeded: 432, failed: 178 },
    exchanges: { total: 4270, succeeded: 4012, failed: 258 },
    successRate: 432 / 610,
    latencyMs: latency(48),
    byTag: { authenticated: group(366, 0.514, 72), anonymous: group(244, 1, 33) },
    stages: stages(true),
    endpoints: [
      { endpoint: 'POST /api/auth/login', requests: 366, failed: 0, successRate: 1, latencyMs: latency(12) },
      { endpoint: 'GET /api/me', requests: 366, failed: 12, successRate: 354 / 366, latencyMs: latency(9) },
      { endpoint: 'WS /ws/chat', requests: 610, failed: 166, successRate: 444 / 610, latencyMs: latency(180) },
      { endpoint: `GET /search?q=${XSS.attribute}`, requests: 3, failed: 3, successRate: 0, latencyMs: latency(5) },
    ],
    lagMs: { p50: 0.4, p99: 3.1, max: 11.7 },
    missedStarts: 2,
    unreplacedValues: 0,
    thresholds: [
      { expr: 'success_rate>=0.99', ok: false, value: 432 / 610 },
      { expr: 'p95<500', ok: true, value: 134.4 },
      { expr: 'p99{tag:authenticated}<800', ok: false, value: 1210 },
    ],
    failures: [
      { reason: 'ws closed 1011 (auth unavailable)', count: 150 },
      { reason: 'fewer server messages than recorded (2 of 5)', count: 16 },
      { reason: 'status 2xx -> 5xx', count: 12 },
      { reason: `status 2xx -> 4xx: ${XSS.script}`, count: 3 },
    ],
    fifo: {
      spec: 'ws:$.type=ready',
      ok: false,
      sessions: 610,
      reached: 601,
      inversions: 37,
      kendallTau: 0.912,
      neverReached: ['s-0042#3', `s-${XSS.closeScript}#1`],
    },
    timeline: timeline(61, 40),
    ...overrides,
  };
}

export function compareReport(): CompareReport {
  const primary = replayReport({ runId: 'r-cmp-1/primary', target: 'http://127.0.0.1:8081' });
  const candidate = replayReport({
    runId: 'r-cmp-1/candidate',
    target: 'http://127.0.0.1:8082',
    ok: true,
    sessions: { total: 610, succeeded: 608, failed: 2 },
    successRate: 608 / 610,
    latencyMs: latency(35),
    byTag: { authenticated: group(366, 0.995, 40), anonymous: group(244, 1, 31) },
    stages: stages(false),
    failures: [{ reason: 'status 2xx -> 5xx', count: 2 }],
    thresholds: [],
    timeline: timeline(61, Number.POSITIVE_INFINITY, 17),
    fifo: undefined,
  });
  return {
    kind: 'compare',
    runId: 'r-cmp-1',
    recording: `staging-${XSS.svg}`,
    startedAt: '2026-03-01T11:00:00.000Z',
    durationMs: 63_900,
    ok: false,
    targets: { primary, candidate },
    routes: [
      {
        route: 'POST /api/auth/login',
        requests: 366,
        differences: [
          { path: 'body.user.created_at', kind: 'missing', raw: 366, noise: 0, risk: 'high', samples: [{ primary: '2026-03-01T11:00:01.123456+00:00', candidate: undefined, at: 's-0001#0/1' }] },
          { path: 'body.user.id', kind: 'type', raw: 366, noise: 0, risk: 'high', samples: [{ primary: 'u_3f2a9b1c0d4e', candidate: 314159, at: 's-0001#0/1' }] },
        ],
        noise: [{ path: 'body.token', kind: 'value', count: 366, reason: 'secondary' }],
      },
      {
        route: 'WS /ws/chat',
        requests: 610,
        differences: [
          {
            path: 'ws.message[type=reply].text',
            kind: 'value',
            raw: 1830,
            noise: 4,
            risk: 'medium',
            samples: [
              { primary: { type: 'reply', text: `echo: ${XSS.script}` }, candidate: { type: 'reply', text: `Echo: ${XSS.script}` }, at: 's-0007#2/4' },
              { primary: { type: 'reply', text: XSS.closeScript }, candidate: { type: 'reply', text: XSS.separators }, at: 's-0009#0/4' },
            ],
          },
          { path: 'ws.close.code', kind: 'ws-close', raw: 12, noise: 0, risk: 'medium', samples: [{ primary: 1000, candidate: 1001 }] },
          { path: 'ws.message[type=stats]', kind: 'ws-extra-message', raw: 610, noise: 0, risk: 'low', samples: [{ primary: null, candidate: { type: 'stats', load: 0.3 } }] },
        ],
        noise: [{ path: 'ws.message[type=reply].at', kind: 'value', count: 1830, reason: 'timestamp' }],
      },
      {
        route: `GET /search?q=${XSS.attribute}`,
        requests: 3,
        differences: [{ path: 'status', kind: 'status', raw: 3, noise: 0, risk: 'high', samples: [{ primary: 200, candidate: `404 ${XSS.attribute}` }] }],
        noise: [{ path: 'body.requestId', kind: 'value', count: 3, reason: XSS.svg }],
      },
    ],
    summary: { high: 3, medium: 2, low: 1, noise: 3 },
    thresholds: [{ expr: 'success_rate{tag:authenticated}>=0.95', ok: false, value: 0.514 }],
    failOn: 'high',
  };
}
