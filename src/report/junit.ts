import { count, millis, percent, thresholdValue } from './figures.js';
import type { CompareReport, FifoResult, ReplayReport, Risk, RouteDifferences, RunReport, ThresholdResult } from './model.js';

/**
 * The report as JUnit XML for CI systems: one suite each for the thresholds, the queue-fairness
 * check, per-route success (per target, for compare) and, for compare, the differences per route.
 * A route's case fails when any of its requests failed; a route's differences fail at --fail-on's
 * level, or at high when none was given.
 */
export function renderJunit(report: RunReport): string {
  const suites = report.kind === 'replay' ? replaySuites(report, '') : compareSuites(report);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + failuresIn(s), 0);
  const name = `reprise ${report.kind} ${report.recording}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="0" time="${seconds(report.durationMs)}">`,
    ...suites.map((s) => suiteXml(s, report)),
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

interface Case {
  name: string;
  /** Absent when the case passed. */
  failure?: { type: string; message: string };
  /** Context a CI page shows under the case. */
  out?: string;
}

interface Suite {
  name: string;
  cases: Case[];
}

function failuresIn(suite: Suite): number {
  return suite.cases.filter((c) => c.failure).length;
}

function replaySuites(report: ReplayReport, prefix: string): Suite[] {
  const suites: Suite[] = [];
  if (!prefix) suites.push(thresholdSuite(report.thresholds));
  if (report.fifo) suites.push({ name: `${prefix}queue fairness`, cases: [fifoCase(report.fifo)] });
  suites.push({
    name: `${prefix}routes`,
    cases: report.endpoints.map((e) => ({
      name: e.endpoint,
      ...(e.failed > 0 && { failure: { type: 'route', message: `${count(e.failed)} of ${count(e.requests)} requests failed (${percent(e.successRate)} success)` } }),
      out: `requests ${count(e.requests)}, success ${percent(e.successRate)}, p50 ${millis(e.latencyMs.p50)}, p95 ${millis(e.latencyMs.p95)}, p99 ${millis(e.latencyMs.p99)}`,
    })),
  });
  return suites;
}

function thresholdSuite(thresholds: ThresholdResult[]): Suite {
  return {
    name: 'thresholds',
    cases: thresholds.map((t) => ({
      name: t.expr,
      ...(!t.ok && { failure: { type: 'threshold', message: `${t.expr} does not hold: the value is ${thresholdValue(t.expr, t.value)}` } }),
      out: `value ${thresholdValue(t.expr, t.value)}`,
    })),
  };
}

function fifoCase(fifo: FifoResult): Case {
  const detail = `${count(fifo.reached)} of ${count(fifo.sessions)} sessions reached it, ${count(fifo.inversions)} inversions, Kendall's tau ${fifo.kendallTau.toFixed(3)}`;
  const never = fifo.neverReached.length > 0 ? `; never reached: ${fifo.neverReached.slice(0, 20).join(', ')}${fifo.neverReached.length > 20 ? ', ...' : ''}` : '';
  return { name: fifo.spec, ...(!fifo.ok && { failure: { type: 'fifo', message: `sessions did not reach ${fifo.spec} in the order they started: ${detail}${never}` } }), out: detail };
}

const RISK_LEVEL: Record<Risk, number> = { high: 3, medium: 2, low: 1 };

function compareSuites(report: CompareReport): Suite[] {
  const { primary, candidate, secondary } = report.targets;
  const targets: [string, ReplayReport][] = [['primary', primary], ['candidate', candidate], ...(secondary ? [['secondary', secondary] as [string, ReplayReport]] : [])];
  const failAt = RISK_LEVEL[report.failOn ?? 'high'];
  return [
    thresholdSuite(report.thresholds),
    ...targets.flatMap(([role, r]) => replaySuites(r, `${role} `)),
    { name: 'differences', cases: report.routes.map((route) => differenceCase(route, failAt)) },
  ];
}

function differenceCase(route: RouteDifferences, failAt: number): Case {
  const failing = route.differences.filter((d) => RISK_LEVEL[d.risk] >= failAt);
  const describe = (d: RouteDifferences['differences'][number]) => `${d.risk} ${d.kind} ${d.path} (raw ${d.raw}, noise ${d.noise})`;
  return {
    name: route.route,
    ...(failing.length > 0 && { failure: { type: 'difference', message: `${failing.length} difference(s): ${failing.map(describe).join('; ')}` } }),
    out: route.differences.length > 0 ? route.differences.map(describe).join('\n') : `no differences beyond noise in ${count(route.requests)} requests`,
  };
}

function suiteXml(suite: Suite, report: RunReport): string {
  const head = `  <testsuite name="${xml(suite.name)}" tests="${suite.cases.length}" failures="${failuresIn(suite)}" errors="0" skipped="0" time="0" timestamp="${xml(report.startedAt.replace(/Z$/, ''))}">`;
  const cases = suite.cases.map((c) => {
    const open = `    <testcase classname="${xml(`reprise.${suite.name.replace(/\s+/g, '-')}`)}" name="${xml(c.name)}" time="0">`;
    const failure = c.failure ? `\n      <failure type="${xml(c.failure.type)}" message="${xml(c.failure.message)}">${xml(c.failure.message)}</failure>` : '';
    const out = c.out ? `\n      <system-out>${xml(c.out)}</system-out>` : '';
    return `${open}${failure}${out}\n    </testcase>`;
  });
  return [head, ...cases, '  </testsuite>'].join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escaped for text and attributes; characters XML 1.0 cannot hold at all become U+FFFD. */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
