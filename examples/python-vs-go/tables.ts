import { count, millis, percent } from '../../src/report/figures.js';
import type { GroupSummary, ReplayReport } from '../../src/report/model.js';
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

/** One line per replay: the checks the scenario makes besides success rates. */
export function checksTable(columns: readonly Column[]): string {
  const rows = columns.map(({ label, report }) => {
    const f = report.fifo;
    const fifo = f === undefined ? '–' : `${f.ok ? 'ok' : 'FAILED'}: ${f.reached}/${f.sessions} reached, ${f.inversions} inversions`;
    const top = report.failures[0];
    return [
      label,
      percent(report.successRate),
      `${millis(report.latencyMs.p50)} / ${millis(report.latencyMs.p99)}`,
      String(report.unreplacedValues),
      fifo,
      top === undefined ? '–' : `${top.reason} × ${top.count}`,
    ];
  });
  return textTable([['replay', 'success', 'p50 / p99', 'unreplaced', 'fifo', 'top failure']], rows, (i) => i >= 1 && i <= 3);
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
    `success rate per stage and session tag (${r.settings.name} profile ${r.settings.profile}, --speed ${r.settings.speed}; ` +
      `backends --slots ${b.slots} --infer-ms ${b.inferMs} --auth-ms ${b.authMs} --auth-timeout-ms ${b.authTimeoutMs})`,
    '',
    stageTable(columns),
    '',
    checksTable(columns),
    '',
    'Python (primary) vs Go (candidate) on the recorded sessions, as reprise compare printed it:',
    r.compareOutput.trimEnd(),
    '',
    'against PROTOCOL.md:',
    describeCheck(r.known),
  ].join('\n');
}
