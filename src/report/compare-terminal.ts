import { palette, type Palette } from './colour.js';
import { count, percent } from './figures.js';
import type { CompareReport, DiffSample, FieldDifference, GroupSummary, ReplayReport, Risk, RouteDifferences } from './model.js';
import { renderReplaySummaries, type TerminalOptions } from './terminal.js';

/**
 * The terminal summary of a compare: first how the targets performed, side by side (the replay
 * summary's rows, then one table of success rate per stage and session tag, where a target that
 * collapses for authenticated users under the ramp while the other holds is seen at a glance),
 * then what they answered differently: routes by count, each field with its counts and one
 * sample pair, and the noise that was cancelled, with counts.
 */
export interface CompareTerminalOptions extends TerminalOptions {
  /** Noise fields listed per route before the rest are summed up. */
  topNoise?: number;
}

export function renderCompareSummary(report: CompareReport, options: CompareTerminalOptions = {}): string {
  const paint = palette(options.color ?? false);
  const targets = targetsOf(report);
  const performance = renderReplaySummaries(
    targets.map(([role, r]) => ({ title: `${role} ${r.target}`, report: r })),
    options,
  );
  return [
    `  ${paint.bold(`compare ${report.recording}`)}  ${paint.dim(`(run ${report.runId})`)}`,
    performance.trimEnd(),
    stageTable(targets, paint),
    differences(report, paint, options.topNoise ?? 6),
    `  ${verdictLine(report, paint)}`,
  ].join('\n\n') + '\n';
}

type Target = [role: string, report: ReplayReport];

function targetsOf(report: CompareReport): Target[] {
  const { primary, candidate, secondary } = report.targets;
  return [['primary', primary], ['candidate', candidate], ...(secondary ? [['secondary', secondary] as Target] : [])];
}

/** Rows: stages; columns: each target's success rate for each tag, then overall. */
function stageTable(targets: Target[], paint: Palette): string {
  const tags = [...new Set(targets.flatMap(([, r]) => Object.keys(r.byTag)))].sort();
  const columns = targets.flatMap(([role, r]) => [...tags, 'all'].map((tag) => ({ role, tag, report: r })));
  const indices = [...new Set(targets.flatMap(([, r]) => r.stages.map((s) => s.index)))].sort((a, b) => a - b);
  const specOf = (i: number) => targets.map(([, r]) => r.stages.find((s) => s.index === i)?.spec).find(Boolean) ?? '';
  const rows = indices.map((i) => [
    `${i}  ${specOf(i)}`,
    ...columns.map(({ tag, report }) => {
      const stage = report.stages.find((s) => s.index === i);
      return rate(tag === 'all' ? stage : stage?.byTag[tag], paint);
    }),
  ]);
  const roles = columns.map((c, i) => (i === 0 || columns[i - 1]!.role !== c.role ? c.role : ''));
  const head = [['stage', ...roles], ['', ...columns.map((c) => c.tag)]];
  return [`  ${paint.bold('success rate by stage and tag')}`, ...grid([...head.map((r) => r.map((c) => paint.dim(c))), ...rows], 1)].join('\n');
}

function rate(group: GroupSummary | undefined, paint: Palette): string {
  if (!group || group.sessions === 0) return '–';
  const text = percent(group.successRate);
  return group.successRate >= 0.99 ? paint.green(text) : group.successRate >= 0.9 ? paint.yellow(text) : paint.red(text);
}

function differences(report: CompareReport, paint: Palette, topNoise: number): string {
  const s = report.summary;
  const lines = [`  ${paint.bold('differences')}  ${riskPaint('high', paint)(`${s.high} high`)} · ${riskPaint('medium', paint)(`${s.medium} medium`)} · ${s.low} low · ${paint.dim(`${s.noise} noise fields cancelled`)}`];
  const weight = (r: RouteDifferences) => r.differences.reduce((n, d) => n + d.raw, 0);
  const differing = report.routes.filter((r) => r.differences.length > 0).sort((a, b) => weight(b) - weight(a));
  for (const route of differing) lines.push('', ...routeLines(route, paint, topNoise));
  const same = report.routes.filter((r) => r.differences.length === 0);
  if (same.length > 0) {
    lines.push('', `    ${paint.dim('no differences beyond noise:')} ${same.map((r) => `${r.route} (${count(r.requests)})`).join(', ')}`);
    const cancelled = same.filter((r) => r.noise.length > 0);
    for (const r of cancelled) lines.push(`      ${paint.dim(`${r.route} noise:`)} ${noiseList(r, topNoise)}`);
  }
  if (report.routes.length === 0) lines.push('', `    ${paint.dim('nothing was compared')}`);
  return lines.join('\n');
}

function routeLines(route: RouteDifferences, paint: Palette, topNoise: number): string[] {
  const fields = route.differences.length === 1 ? '1 field differs' : `${route.differences.length} fields differ`;
  const rows = route.differences.map((d) => [d.path, d.kind, count(d.raw), count(d.noise), riskPaint(d.risk, paint)(d.risk), sample(d)]);
  const head = ['path', 'kind', 'raw', 'noise', 'risk', 'sample (primary → candidate)'].map((h) => paint.dim(h));
  const lines = [`    ${paint.bold(route.route)}  ${paint.dim(`${count(route.requests)} compared, ${fields}`)}`, ...grid([head, ...rows], 3, [2, 3])];
  if (route.noise.length > 0) lines.push(`      ${paint.dim('noise:')} ${noiseList(route, topNoise)}`);
  return lines;
}

function noiseList(route: RouteDifferences, top: number): string {
  const shown = route.noise.slice(0, top).map((n) => `${n.path} ${n.reason} ×${count(n.count)}`);
  if (route.noise.length > top) shown.push(`${route.noise.length - top} more in --out`);
  return shown.join(' · ');
}

/** The first sample, one line: `"alice" → "Alice"`. */
function sample(d: FieldDifference): string {
  const first: DiffSample | undefined = d.samples[0];
  if (!first) return '';
  return `${compact(first.primary)} → ${compact(first.candidate)}`;
}

const SAMPLE_WIDTH = 36;

function compact(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= SAMPLE_WIDTH ? text : `${text.slice(0, SAMPLE_WIDTH - 1)}…`;
}

function riskPaint(risk: Risk, paint: Palette): (text: string) => string {
  return risk === 'high' ? paint.red : risk === 'medium' ? paint.yellow : paint.dim;
}

function verdictLine(report: CompareReport, paint: Palette): string {
  const failedTargets = targetsOf(report).filter(([, r]) => !r.ok).map(([role]) => role);
  const parts: string[] = [];
  if (report.failOn) {
    const at = report.routes.flatMap((r) => r.differences).filter((d) => rank(d.risk) <= rank(report.failOn!)).length;
    parts.push(at > 0 ? paint.red(`✗ ${at} difference${at === 1 ? '' : 's'} at --fail-on ${report.failOn} or above`) : paint.green(`✓ no difference at --fail-on ${report.failOn} or above`));
  }
  else if (report.summary.high + report.summary.medium + report.summary.low > 0) parts.push(paint.dim('differences found; no --fail-on given'));
  if (failedTargets.length > 0) parts.push(paint.red(`✗ checks failed on ${failedTargets.join(', ')}`));
  if (parts.length === 0) return paint.green('✓ no differences beyond noise');
  return parts.join('   ');
}

function rank(risk: Risk): number {
  return risk === 'high' ? 0 : risk === 'medium' ? 1 : 2;
}

const SGR = /\x1b\[[0-9;]*m/g;

/** Rows laid out in columns; `right` columns align right (numbers). */
function grid(rows: string[][], indent: number, right: number[] = []): string[] {
  const width = (s: string) => s.replace(SGR, '').length;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) =>
    (' '.repeat(indent * 2) +
      r
        .map((cell, i) => {
          const gap = ' '.repeat(widths[i]! - width(cell));
          return right.includes(i) ? gap + cell : i === r.length - 1 ? cell : cell + gap;
        })
        .join('  ')).trimEnd(),
  );
}
