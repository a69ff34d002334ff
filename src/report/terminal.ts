import { palette, type Palette } from './colour.js';
import { count, grade, millis, percent, thresholdValue } from './figures.js';
import type { GroupSummary, LatencySummary, ReplayReport } from './model.js';

/**
 * The terminal summary of a replay, in the spirit of k6's: one table of sections and rows.
 * A row's value is computed per report, so the same rows lay out one report (replay) or
 * several side by side (compare: primary | candidate), and a label missing from one report
 * (a tag only one target saw) shows as a dash there.
 */
export interface TerminalOptions {
  color?: boolean;
  /** Endpoints and failure reasons listed, most frequent first. */
  topEndpoints?: number;
  topFailures?: number;
}

interface Row {
  section: string;
  label: string;
  value: string;
}

const SECTIONS = ['', 'by tag', 'by stage', 'endpoints', 'failures', 'queue fairness', 'thresholds'] as const;

export function renderReplaySummary(report: ReplayReport, options: TerminalOptions = {}): string {
  return renderReplaySummaries([{ title: `${report.recording} -> ${report.target}  (run ${report.runId})`, report }], options);
}

export function renderReplaySummaries(columns: readonly { title: string; report: ReplayReport }[], options: TerminalOptions = {}): string {
  const paint = palette(options.color ?? false);
  const perColumn = columns.map((c) => rowsOf(c.report, options, paint));
  const labelWidth = Math.max(20, ...perColumn.flat().map((r) => indentOf(r.section).length + r.label.length + 3));
  const valueWidth = columns.length > 1 ? Math.max(...perColumn.flat().map((r) => visible(r.value).length), ...columns.map((c) => c.title.length)) + 3 : 0;
  const lines: string[] = [];
  const header = columns.length > 1 ? columns.map((c) => pad(paint.bold(c.title), valueWidth)).join('') : paint.bold(columns[0]!.title);
  lines.push(`${columns.length > 1 ? ' '.repeat(labelWidth + 1) : '  '}${header}`.trimEnd());
  for (const section of SECTIONS) {
    const labels = unique(perColumn.flatMap((rows) => rows.filter((r) => r.section === section).map((r) => r.label)));
    if (labels.length === 0) continue;
    lines.push('');
    if (section) lines.push(`  ${paint.bold(section)}`);
    for (const label of labels) {
      const values = perColumn.map((rows) => rows.find((r) => r.section === section && r.label === label)?.value ?? '–');
      const indent = indentOf(section);
      const dots = paint.dim(`${label} ${'.'.repeat(Math.max(2, labelWidth - indent.length - label.length - 1))}`);
      lines.push(`${indent}${dots} ${values.map((v, i) => (i < values.length - 1 ? pad(v, valueWidth) : v)).join('')}`.trimEnd());
    }
  }
  lines.push('');
  lines.push(`  ${columns.map((c) => verdictLine(c.report, paint)).join('   ')}`);
  return `${lines.join('\n')}\n`;
}

function indentOf(section: string): string {
  return section ? '    ' : '  ';
}

function rowsOf(r: ReplayReport, options: TerminalOptions, paint: Palette): Row[] {
  const rows: Row[] = [];
  const add = (section: string, label: string, value: string): void => void rows.push({ section, label, value });
  add('', 'sessions', `${count(r.sessions.total)} (${count(r.sessions.succeeded)} ok, ${failedCount(r.sessions.failed, paint)})`);
  add('', 'exchanges', `${count(r.exchanges.total)} (${count(r.exchanges.succeeded)} ok, ${failedCount(r.exchanges.failed, paint)})`);
  add('', 'success rate', rate(r.successRate, r.sessions.total, paint));
  add('', 'latency', latency(r.latencyMs));
  add('', 'schedule lag', `p50 ${millis(r.lagMs.p50)}  p99 ${millis(r.lagMs.p99)}  max ${millis(r.lagMs.max)}`);
  add('', 'missed starts', r.missedStarts > 0 ? paint.red(count(r.missedStarts)) : '0');
  add('', 'unreplaced values', r.unreplacedValues > 0 ? paint.red(count(r.unreplacedValues)) : '0');
  add('', 'duration', millis(r.durationMs));
  for (const [tag, g] of Object.entries(r.byTag)) add('by tag', tag, group(g, paint));
  if (r.stages.length > 1 || r.stages[0]?.index !== 0) {
    for (const s of r.stages) add('by stage', `${s.index}  ${s.spec}`, group(s, paint));
  }
  for (const e of r.endpoints.slice(0, options.topEndpoints ?? 15)) {
    add('endpoints', e.endpoint, `${count(e.requests)} req  ${rate(e.successRate, e.requests, paint)}  ${shortLatency(e.latencyMs)}`);
  }
  if (r.endpoints.length > (options.topEndpoints ?? 15)) add('endpoints', '…', `${r.endpoints.length - (options.topEndpoints ?? 15)} more in --out`);
  for (const f of r.failures.slice(0, options.topFailures ?? 10)) add('failures', f.reason, paint.red(count(f.count)));
  if (r.fifo) {
    const f = r.fifo;
    const mark = f.ok ? paint.green('✓') : paint.red('✗');
    add('queue fairness', f.spec, `${mark} reached ${f.reached}/${f.sessions}  inversions ${f.inversions}  tau ${f.kendallTau.toFixed(3)}`);
    if (f.neverReached.length > 0) add('queue fairness', 'never reached', f.neverReached.slice(0, 5).join(', ') + (f.sessions - f.reached > 5 ? ', …' : ''));
  }
  for (const t of r.thresholds) add('thresholds', t.expr, `${t.ok ? paint.green('✓') : paint.red('✗')} ${thresholdValue(t.expr, t.value)}`);
  return rows;
}

function group(g: GroupSummary, paint: Palette): string {
  return `${count(g.sessions)} sessions  ${rate(g.successRate, g.sessions, paint)}  ${shortLatency(g.latencyMs)}`;
}

function latency(l: LatencySummary): string {
  if (l.count === 0) return 'no data';
  return `p50 ${millis(l.p50)}  p90 ${millis(l.p90)}  p95 ${millis(l.p95)}  p99 ${millis(l.p99)}  max ${millis(l.max)}`;
}

function shortLatency(l: LatencySummary): string {
  return l.count === 0 ? '' : `p50 ${millis(l.p50)}  p95 ${millis(l.p95)}  p99 ${millis(l.p99)}`;
}

function rate(value: number, of: number, paint: Palette): string {
  if (of === 0) return '–';
  const text = percent(value);
  const g = grade(value);
  return g === 'good' ? paint.green(text) : g === 'warn' ? paint.yellow(text) : paint.red(text);
}

function failedCount(n: number, paint: Palette): string {
  return n > 0 ? paint.red(`${count(n)} failed`) : '0 failed';
}

function verdictLine(r: ReplayReport, paint: Palette): string {
  const checks = r.thresholds.length + (r.fifo ? 1 : 0);
  if (checks === 0) return paint.dim('no thresholds set');
  const failed = r.thresholds.filter((t) => !t.ok).length + (r.fifo && !r.fifo.ok ? 1 : 0);
  return failed === 0 ? paint.green(`✓ all ${checks} checks passed`) : paint.red(`✗ ${failed} of ${checks} checks failed`);
}

const SGR = /\x1b\[[0-9;]*m/g;

function visible(s: string): string {
  return s.replace(SGR, '');
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(1, width - visible(s).length));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
