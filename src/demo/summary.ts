import { count, elapsed, millis, percent } from '../report/figures.js';
import type { FifoResult, ReplayReport } from '../report/model.js';
import type { DemoOutcome } from './demo.js';

/** The few lines `reprise demo` ends with: what happened at each step, and where the report is. */
export function formatDemoSummary(o: DemoOutcome, tookMs: number): string {
  const r = o.replay;
  const fifo = (f: FifoResult | undefined) => (f ? `queue ${f.ok ? 'fair' : 'unfair'} (${count(f.inversions)} inversions, tau ${f.kendallTau.toFixed(2)})` : '');
  const c = o.compare;
  const side = (label: string, t: ReplayReport) => `${label} ${percent(t.successRate)} ok, p95 ${millis(t.latencyMs.p95)}, ${fifo(t.fifo)}`;
  const lines = [
    `recorded  ${count(o.recording.sessions)} sessions through the proxy (${o.traffic.authenticated} logged in, ${o.traffic.users - o.traffic.authenticated} guests): ${count(o.recording.exchanges)} exchanges, ${count(o.recording.wsMessages)} WebSocket messages`,
    `replayed  ${count(r.sessions.total)} sessions (x${o.multiply} at ${o.speed}x speed): ${percent(r.successRate)} ok, p95 ${millis(r.latencyMs.p95)}, ${count(r.unreplacedValues)} unreplaced values, ${fifo(r.fifo)}  ${r.ok ? 'PASS' : 'FAIL'}`,
    `compared v1 and v2 on the same sessions: ${c.summary.high} high, ${c.summary.medium} medium, ${c.summary.low} low risk differences (${c.summary.noise} noise fields cancelled)`,
    `          ${side('v1', c.targets.primary)}`,
    `          ${side('v2', c.targets.candidate)}`,
    '',
    `report    ${o.reportPath}`,
    `          ${o.replayReportPath} (the replay alone)`,
    `done in ${elapsed(tookMs)}; open the report in a browser, or try: reprise show ${o.recording.name} --store ${o.store}`,
  ];
  return `${lines.join('\n')}\n`;
}
