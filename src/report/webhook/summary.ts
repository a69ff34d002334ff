import { count, elapsed, millis, percent, thresholdValue } from '../figures.js';
import type { CompareReport, GroupSummary, ReplayReport, RunReport } from '../model.js';

/**
 * What a chat message says about a run, before any service's format: a title, a verdict, a few
 * lines of context and named fields. The Discord and Slack formats only lay this out.
 * Text here is plain; each format escapes it for its own markup.
 */
export interface RunSummary {
  title: string;
  ok: boolean;
  lines: string[];
  fields: SummaryField[];
  footer: string;
}

export interface SummaryField {
  name: string;
  value: string;
  /** Short values sit side by side; lists take a full row. */
  inline: boolean;
}

const TOP = 5;

export function summarize(report: RunReport): RunSummary {
  return report.kind === 'replay' ? replaySummary(report) : compareSummary(report);
}

function verdictWord(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

function group(g: GroupSummary): string {
  return `${percent(g.successRate)} of ${count(g.sessions)} · p95 ${millis(g.latencyMs.p95)}`;
}

function thresholdLines(report: { thresholds: ReplayReport['thresholds'] }): string[] {
  return report.thresholds.map((t) => `${t.ok ? '✓' : '✗'} ${t.expr} (${thresholdValue(t.expr, t.value)})`);
}

function targetFields(r: ReplayReport, prefix: string): SummaryField[] {
  const fields: SummaryField[] = [
    { name: `${prefix}Sessions`, value: `${count(r.sessions.total)} (${count(r.sessions.failed)} failed)`, inline: true },
    { name: `${prefix}Success rate`, value: percent(r.successRate), inline: true },
    { name: `${prefix}Latency p50 / p95 / p99`, value: `${millis(r.latencyMs.p50)} / ${millis(r.latencyMs.p95)} / ${millis(r.latencyMs.p99)}`, inline: true },
  ];
  const tags = Object.entries(r.byTag);
  if (tags.length > 0) fields.push({ name: `${prefix}By tag`, value: tags.map(([tag, g]) => `${tag}: ${group(g)}`).join('\n'), inline: false });
  if (r.stages.length > 1) {
    const stage = (s: ReplayReport['stages'][number]) => {
      const tagRates = Object.entries(s.byTag).map(([tag, g]) => `${tag} ${percent(g.successRate)}`);
      return `${s.index + 1}. ${s.spec}: ${percent(s.successRate)}${tagRates.length > 0 ? ` (${tagRates.join(', ')})` : ''}`;
    };
    fields.push({ name: `${prefix}By stage`, value: r.stages.map(stage).join('\n'), inline: false });
  }
  if (r.fifo) {
    const f = r.fifo;
    fields.push({ name: `${prefix}Queue fairness ${f.spec}`, value: `${verdictWord(f.ok)}: ${count(f.inversions)} inversions, tau ${f.kendallTau.toFixed(3)}, ${count(f.sessions - f.reached)} never reached`, inline: false });
  }
  return fields;
}

function replaySummary(r: ReplayReport): RunSummary {
  const fields = targetFields(r, '');
  fields.push(
    { name: 'Unreplaced values', value: count(r.unreplacedValues), inline: true },
    { name: 'Missed starts', value: `${count(r.missedStarts)} (lag p99 ${millis(r.lagMs.p99)})`, inline: true },
  );
  if (r.thresholds.length > 0) fields.push({ name: 'Thresholds', value: thresholdLines(r).join('\n'), inline: false });
  if (r.failures.length > 0) fields.push({ name: 'Top failures', value: r.failures.slice(0, TOP).map((f) => `${count(f.count)} × ${f.reason}`).join('\n'), inline: false });
  return {
    title: `reprise replay ${r.recording}: ${verdictWord(r.ok)}`,
    ok: r.ok,
    lines: [`target ${r.target} · ${count(r.sessions.total)} sessions in ${elapsed(r.durationMs)} · started ${r.startedAt}`],
    fields,
    footer: `run ${r.runId} · reprise report ${r.runId}`,
  };
}

function compareSummary(r: CompareReport): RunSummary {
  const { primary, candidate, secondary } = r.targets;
  const s = r.summary;
  const diffs = r.routes
    .flatMap((route) => route.differences.map((d) => ({ route: route.route, d })))
    .sort((a, b) => rank(a.d.risk) - rank(b.d.risk) || b.d.raw - a.d.raw)
    .slice(0, TOP)
    .map(({ route, d }) => `${d.risk} · ${route} ${d.path} (${d.kind}, ${count(d.raw)}×)`);
  const fields: SummaryField[] = [
    { name: 'Differences', value: `${s.high} high · ${s.medium} medium · ${s.low} low · ${s.noise} noise`, inline: false },
    ...targetFields(primary, 'primary · '),
    ...targetFields(candidate, 'candidate · '),
  ];
  if (diffs.length > 0) fields.push({ name: 'Top differences', value: diffs.join('\n'), inline: false });
  if (r.thresholds.length > 0) fields.push({ name: 'Thresholds', value: thresholdLines(r).join('\n'), inline: false });
  return {
    title: `reprise compare ${r.recording}: ${verdictWord(r.ok)}`,
    ok: r.ok,
    lines: [`primary ${primary.target} vs candidate ${candidate.target}${secondary ? ` (secondary ${secondary.target})` : ''} · ${elapsed(r.durationMs)} · started ${r.startedAt}`],
    fields,
    footer: `run ${r.runId} · reprise report ${r.runId}`,
  };
}

function rank(risk: string): number {
  return risk === 'high' ? 0 : risk === 'medium' ? 1 : 2;
}
