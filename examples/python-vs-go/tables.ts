import { count, percent } from '../../src/report/figures.js';
import type { CompareReport, GroupSummary, ReplayReport } from '../../src/report/model.js';
import { renderReplaySummaries } from '../../src/report/terminal.js';
import { describeCheck } from './known-differences.js';
import type { ScenarioResult } from './scenario.js';

/** One replay shown as a column group of the side-by-side table. */
export interface Column {
  label: string;
  report: ReplayReport;
}

/** The split the story turns on: the original failure hit logged-in users only. */
export const TAGS = ['authenticated', 'anonymous'] as const;

/** `97.5% (39/40)`, or `–` where a stage had no session with that tag. */
function cell(group: GroupSummary | undefined): string {
  if (group === undefined || group.sessions === 0) return '–';
  const succeeded = Math.round(group.successRate * group.sessions);
  return `${percent(group.successRate)} (${count(succeeded)}/${count(group.sessions)})`;
}

/** Columns padded to their widest cell, two spaces apart; `right(i)` right-aligns column i. */
export function textTable(header: string[][], rows: string[][], right: (i: number) => boolean = () => false): string {
  const all = [...header, ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return all.map(line).join('\n');
}

/**
 * Per stage, the success rate of authenticated and anonymous sessions for each replay side by
 * side, then the whole run. Stages are matched by index: every column replayed one profile.
 */
export function stageTable(columns: readonly Column[]): string {
  const groupRow = ['', '', ...columns.flatMap((c) => [c.label, ''])];
  const tagRow = ['stage', 'profile', ...columns.flatMap(() => [...TAGS])];
  const stages = columns[0]?.report.stages ?? [];
  const rows = stages.map((stage) => [
    String(stage.index),
    stage.spec,
    ...columns.flatMap(({ report }) => {
      const s = report.stages.find((x) => x.index === stage.index);
      return TAGS.map((t) => cell(s?.byTag[t]));
    }),
  ]);
  rows.push(['all', '', ...columns.flatMap(({ report }) => TAGS.map((t) => cell(report.byTag[t])))]);
  return textTable([groupRow, tagRow], rows, (i) => i >= 2);
}

/** The differences a compare found, by route and field, then the noise it cancelled. */
export function differenceSummary(report: CompareReport): string {
  const { high, medium, low, noise } = report.summary;
  const lines = [`differences: ${high} high, ${medium} medium, ${low} low; ${noise} noise fields cancelled`];
  const rows = report.routes.flatMap((r) =>
    r.differences.map((d) => {
      const sample = d.samples[0];
      const pair = sample === undefined ? '' : `${JSON.stringify(sample.primary)} vs ${JSON.stringify(sample.candidate)}`;
      return [r.route, d.path, d.kind, d.risk, String(d.raw), String(d.noise), pair];
    }),
  );
  if (rows.length > 0) lines.push(textTable([['route', 'field', 'kind', 'risk', 'raw', 'noise', 'sample (primary vs candidate)']], rows, (i) => i === 4 || i === 5));
  const noiseRows = report.routes.flatMap((r) => r.noise.map((n) => [r.route, n.path, n.kind, n.reason, String(n.count)]));
  if (noiseRows.length > 0) lines.push('', 'noise:', textTable([['route', 'field', 'kind', 'why', 'count']], noiseRows, (i) => i === 4));
  return lines.join('\n');
}

/** Everything the scenario prints at the end: the story's table first, then the detail. */
export function renderScenario(r: ScenarioResult): string {
  const columns: Column[] = [
    { label: 'Python', report: r.python },
    { label: 'Go', report: r.go },
    { label: 'Python --blocking-auth', report: r.pythonBlocking },
  ];
  const b = r.settings.backend;
  return [
    `success rate per stage (${r.settings.name} profile ${r.settings.profile}, --speed ${r.settings.speed}; ` +
      `backends: --slots ${b.slots} --infer-ms ${b.inferMs} --auth-ms ${b.authMs} --auth-timeout-ms ${b.authTimeoutMs})`,
    '',
    stageTable(columns),
    '',
    'Python (primary) vs Go (candidate), same sessions:',
    differenceSummary(r.compare),
    describeCheck(r.known),
    '',
    renderReplaySummaries(columns.map((c) => ({ title: c.label, report: c.report }))).trimEnd(),
  ].join('\n');
}
