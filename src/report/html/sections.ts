import { count, grade, millis, percent, thresholdValue } from '../figures.js';
import type { EndpointSummary, FifoResult, GroupSummary, ReplayReport, StageSummary, ThresholdResult } from '../model.js';
import type { ChartSpec, Side } from './charts.js';
import { el, fragment, section, table, type Child, type Column, type ColumnGroup, type Html } from './elements.js';
import { badge, code, empty, latencyColumns, rate, tiles, type Tile } from './widgets.js';

/**
 * The sections a replay report and a compare report share. Each takes the replayed targets as
 * sides: a replay has one, a compare shows two or three side by side in the same tables.
 */

export function summaryTiles(report: ReplayReport): Html {
  const failedChecks = report.thresholds.filter((t) => !t.ok).length + (report.fifo && !report.fifo.ok ? 1 : 0);
  const checks = report.thresholds.length + (report.fifo ? 1 : 0);
  const items: Tile[] = [
    { label: 'Sessions', value: count(report.sessions.total), detail: `${count(report.sessions.failed)} failed · ${count(report.exchanges.total)} exchanges` },
    { label: 'Success rate', value: percent(report.successRate), detail: `${count(report.sessions.succeeded)} succeeded`, tone: grade(report.successRate) },
    { label: 'Latency p95', value: millis(report.latencyMs.p95), detail: `p50 ${millis(report.latencyMs.p50)} · p99 ${millis(report.latencyMs.p99)}` },
    { label: 'Unreplaced values', value: count(report.unreplacedValues), detail: 'recorded tokens sent verbatim', tone: report.unreplacedValues === 0 ? 'good' : 'bad' },
    { label: 'Missed starts', value: count(report.missedStarts), detail: `lag p99 ${millis(report.lagMs.p99)} · max ${millis(report.lagMs.max)}`, tone: report.missedStarts === 0 ? 'good' : 'warn' },
    {
      label: 'Thresholds',
      value: checks === 0 ? 'none' : failedChecks === 0 ? 'PASS' : 'FAIL',
      detail: checks === 0 ? 'no --threshold given' : `${checks - failedChecks} of ${checks} checks hold`,
      ...(checks > 0 && { tone: failedChecks === 0 ? ('good' as const) : ('bad' as const) }),
    },
  ];
  return tiles(items);
}

export function chartsSection(specs: ChartSpec[]): Html {
  return section(
    'Over time',
    'charts',
    el('div', { class: 'charts' }, specs.map((s) => el('div', { class: 'chart' }, el('h3', {}, s.title), el('div', { id: s.id, class: 'chart-host' })))),
  );
}

/** Columns for each side, and a group header naming the side when there is more than one. */
function sideBySide<R>(sides: Side[], leading: Column<R>[], perSide: (side: Side) => Column<R>[]): { columns: Column<R>[]; groups: ColumnGroup[] } {
  const blocks = sides.map(perSide);
  const columns = [...leading, ...blocks.flat()];
  if (sides.length < 2) return { columns, groups: [] };
  return { columns, groups: [{ label: '', span: leading.length }, ...sides.map((s, i) => ({ label: s.role, span: blocks[i]!.length }))] };
}

function union<T>(lists: T[][]): T[] {
  return [...new Set(lists.flat())];
}

const dash = '–';
const NO_LATENCY = { count: 0, p50: NaN, p90: NaN, p95: NaN, p99: NaN, max: NaN };

function groupColumns<R>(pick: (row: R) => GroupSummary | undefined): Column<R>[] {
  return [
    { head: 'sessions', numeric: true, cell: (r) => (pick(r) ? count(pick(r)!.sessions) : dash) },
    { head: 'success', numeric: true, cell: (r) => (pick(r) ? rate(pick(r)!.successRate) : dash) },
    ...latencyColumns<R>((r) => pick(r)?.latencyMs ?? NO_LATENCY),
  ];
}

/**
 * One row per stage. Side by side, each target keeps only what differs between targets (success
 * overall and per tag, p95), so the story reads off one table: which target collapses, for whom.
 */
export function stagesSection(sides: Side[]): Html {
  const stageCount = Math.max(...sides.map((s) => s.report.stages.length));
  if (stageCount === 0) return section('Success rate per stage', 'stages', empty('No stages in this run.'));
  const rows = [...Array(stageCount).keys()];
  const tags = union(sides.map((s) => s.report.stages.flatMap((st) => Object.keys(st.byTag))));
  const stageOf = (side: Side, i: number): StageSummary | undefined => side.report.stages[i];
  const first = (i: number) => sides.map((s) => stageOf(s, i)).find((st) => st !== undefined);
  const single = sides.length === 1;
  const tagColumns = (side: Side): Column<number>[] =>
    tags.map((tag) => ({
      head: tag,
      numeric: true,
      cell: (i) => {
        const g = stageOf(side, i)?.byTag[tag];
        return g ? rate(g.successRate, single) : dash;
      },
    }));
  const leading: Column<number>[] = [
    { head: 'stage', cell: (i) => fragment(`${i + 1} `, code(first(i)?.spec ?? '')) },
    ...(single ? [] : [{ head: 'sessions', numeric: true, cell: (i: number) => count(first(i)?.sessions ?? 0) }]),
  ];
  const { columns, groups } = sideBySide<number>(sides, leading, (side) =>
    single
      ? [...groupColumns<number>((i) => stageOf(side, i)), ...tagColumns(side)]
      : [
          { head: 'success', numeric: true, cell: (i) => { const st = stageOf(side, i); return st ? rate(st.successRate) : dash; } },
          { head: 'p95', numeric: true, cell: (i) => millis(stageOf(side, i)?.latencyMs.p95) },
          ...tagColumns(side),
        ],
  );
  return section('Success rate per stage', 'stages', table(columns, rows, groups));
}

export function tagsSection(sides: Side[]): Html {
  const tags = union(sides.map((s) => Object.keys(s.report.byTag)));
  if (tags.length === 0) return section('Sessions by tag', 'tags', empty('No session tags in this run.'));
  const { columns, groups } = sideBySide<string>(sides, [{ head: 'tag', cell: (tag) => tag }], (side) => groupColumns<string>((tag) => side.report.byTag[tag]));
  return section('Sessions by tag', 'tags', table(columns, tags, groups));
}

export function endpointsSection(sides: Side[]): Html {
  const names = union(sides.map((s) => s.report.endpoints.map((e) => e.endpoint)));
  if (names.length === 0) return section('Routes', 'routes', empty('No exchanges in this run.'));
  const find = (side: Side, name: string): EndpointSummary | undefined => side.report.endpoints.find((e) => e.endpoint === name);
  const full = sides.length === 1;
  const { columns, groups } = sideBySide<string>(sides, [{ head: 'route', cell: (name) => code(name) }], (side) => {
    const pick = (name: string) => find(side, name);
    const cols: Column<string>[] = [
      { head: 'requests', numeric: true, cell: (n) => (pick(n) ? count(pick(n)!.requests) : dash) },
      { head: 'failed', numeric: true, cell: (n) => (pick(n) ? count(pick(n)!.failed) : dash) },
      { head: 'success', numeric: true, cell: (n) => (pick(n) ? rate(pick(n)!.successRate) : dash) },
    ];
    const latency = latencyColumns<string>((n) => pick(n)?.latencyMs ?? NO_LATENCY);
    return full ? [...cols, ...latency] : [...cols.slice(0, 1), cols[2]!, latency[1]!];
  });
  return section('Routes', 'routes', table(columns, names, groups));
}

export function thresholdsTable(thresholds: ThresholdResult[]): Html {
  return table<ThresholdResult>(
    [
      { head: 'threshold', cell: (t) => code(t.expr) },
      { head: 'value', numeric: true, cell: (t) => thresholdValue(t.expr, t.value) },
      { head: 'result', cell: (t) => badge(t.ok ? 'holds' : 'fails', t.ok ? 'pass' : 'fail') },
    ],
    thresholds,
  );
}

function fifoBlock(role: string, fifo: FifoResult): Html {
  const never = fifo.neverReached;
  return fragment(
    el('h3', {}, `Queue fairness${role ? ` (${role})` : ''}: `, code(fifo.spec), ' ', badge(fifo.ok ? 'fair' : 'unfair', fifo.ok ? 'pass' : 'fail')),
    table<[string, Child]>(
      [
        { head: 'measure', cell: (r) => r[0] },
        { head: 'value', numeric: true, cell: (r) => r[1] },
      ],
      [
        ['sessions reaching it', `${count(fifo.reached)} of ${count(fifo.sessions)}`],
        ['order inversions', count(fifo.inversions)],
        ["Kendall's tau (1 = first come, first served)", fifo.kendallTau.toFixed(3)],
      ],
    ),
    never.length > 0 &&
      el('p', { class: 'note' }, `Never reached (${never.length}): `, never.slice(0, 20).map((id, i) => fragment(i > 0 && ', ', code(id))), never.length > 20 && ` … and ${never.length - 20} more`),
  );
}

/** Thresholds of the run itself, then each side's queue-fairness check. */
export function checksSection(thresholds: ThresholdResult[], sides: Side[]): Html {
  const fifos = sides.filter((s) => s.report.fifo);
  if (thresholds.length === 0 && fifos.length === 0) return section('Checks', 'checks', empty('No thresholds or queue-fairness check were given.'));
  return section(
    'Checks',
    'checks',
    thresholds.length > 0 && thresholdsTable(thresholds),
    fifos.map((s) => fifoBlock(sides.length > 1 ? s.role : '', s.report.fifo!)),
  );
}

export function failuresSection(sides: Side[]): Html {
  const reasons = union(sides.map((s) => s.report.failures.map((f) => f.reason)));
  if (reasons.length === 0) return section('Failures', 'failures', empty('Nothing failed.'));
  const countOf = (side: Side, reason: string) => side.report.failures.find((f) => f.reason === reason)?.count;
  const { columns, groups } = sideBySide<string>(sides, [{ head: 'reason', cell: (r) => el('span', { class: 'mono' }, r) }], (side) => [
    { head: 'count', numeric: true, cell: (r) => { const n = countOf(side, r); return n === undefined ? dash : count(n); } },
  ]);
  return section('Top failure reasons', 'failures', table(columns, reasons, groups));
}
