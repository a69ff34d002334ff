import { parseDuration } from '../model/duration.js';
import { UsageError } from '../model/errors.js';
import type { GroupSummary, LatencySummary, ReplayReport, ThresholdResult } from './model.js';

/**
 * `--threshold METRIC[{FILTER,...}] OP VALUE`, e.g. `p99{tag:authenticated}<800`. A threshold
 * naming a metric, tag, stage or endpoint the run does not have is a usage error, never a
 * silent pass; a metric with no data (a stage where nothing ran) fails.
 */
export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  expr: string;
  metric: Metric;
  filter: Filter;
  op: Op;
  value: number;
}

export interface Filter {
  tag?: string;
  stage?: number;
  endpoint?: string;
}

type Kind = 'rate' | 'ms' | 'count';
type FilterKey = keyof Filter;

interface MetricDef {
  kind: Kind;
  filters: readonly FilterKey[];
  help: string;
}

const GROUPED: readonly FilterKey[] = ['tag', 'stage', 'endpoint'];

/** The metric list, as `reprise replay --help` and the README's Thresholds print it. */
export const METRICS = {
  success_rate: { kind: 'rate', filters: GROUPED, help: 'succeeded / total sessions (with endpoint: exchanges), 0..1' },
  p50: { kind: 'ms', filters: GROUPED, help: 'latency percentile, ms' },
  p90: { kind: 'ms', filters: GROUPED, help: 'latency percentile, ms' },
  p95: { kind: 'ms', filters: GROUPED, help: 'latency percentile, ms' },
  p99: { kind: 'ms', filters: GROUPED, help: 'latency percentile, ms' },
  max: { kind: 'ms', filters: GROUPED, help: 'slowest exchange, ms' },
  sessions: { kind: 'count', filters: ['tag', 'stage'], help: 'sessions run' },
  sessions_failed: { kind: 'count', filters: ['tag', 'stage'], help: 'sessions failed' },
  exchanges_failed: { kind: 'count', filters: ['endpoint'], help: 'exchanges failed' },
  lag_p50: { kind: 'ms', filters: [], help: 'schedule lag percentile, ms' },
  lag_p99: { kind: 'ms', filters: [], help: 'schedule lag percentile, ms' },
  lag_max: { kind: 'ms', filters: [], help: 'largest schedule lag, ms' },
  missed_starts: { kind: 'count', filters: [], help: 'starts later than --max-lag, not run' },
  unreplaced_values: { kind: 'count', filters: [], help: 'recorded linked values sent verbatim' },
} as const satisfies Record<string, MetricDef>;

export type Metric = keyof typeof METRICS;

const EXPR = /^([a-z_0-9]+)(?:\{([^}]*)\})?\s*(<=|>=|==|!=|<|>)\s*(\S+)$/;

export function parseThreshold(expr: string): Threshold {
  const m = EXPR.exec(expr.trim());
  if (!m) throw new UsageError(`bad --threshold "${expr}": use METRIC[{tag:NAME|stage:N|endpoint:ROUTE}] OP VALUE, e.g. p95<500`);
  const [, name, filterText, op, valueText] = m;
  if (!Object.hasOwn(METRICS, name!)) {
    throw new UsageError(`unknown metric "${name}" in --threshold "${expr}" (metrics: ${Object.keys(METRICS).join(', ')})`);
  }
  const metric = name as Metric;
  const filter = parseFilter(filterText, metric, expr);
  return { expr, metric, filter, op: op as Op, value: parseValue(valueText!, METRICS[metric].kind, expr) };
}

function parseFilter(text: string | undefined, metric: Metric, expr: string): Filter {
  const filter: Filter = {};
  if (text === undefined || text.trim() === '') return filter;
  const allowed: readonly FilterKey[] = METRICS[metric].filters;
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    const key = part.slice(0, colon).trim() as FilterKey;
    const value = part.slice(colon + 1).trim();
    if (colon < 0 || value === '' || !allowed.includes(key)) {
      const can = allowed.length ? allowed.map((k) => `${k}:...`).join(', ') : 'no filter';
      throw new UsageError(`bad filter "${part}" in --threshold "${expr}": ${metric} takes ${can}`);
    }
    if (key === 'stage') {
      if (!/^\d+$/.test(value)) throw new UsageError(`bad stage "${value}" in --threshold "${expr}": use its number, e.g. stage:3`);
      filter.stage = Number(value);
    } else filter[key] = value;
  }
  if (filter.endpoint !== undefined && Object.keys(filter).length > 1) {
    throw new UsageError(`--threshold "${expr}": an endpoint filter cannot be combined with tag or stage`);
  }
  return filter;
}

function parseValue(text: string, kind: Kind, expr: string): number {
  if (kind === 'rate' && text.endsWith('%')) return Number(text.slice(0, -1)) / 100;
  if (kind === 'ms' && /[a-zµ]$/.test(text)) return parseDuration(text, `value in --threshold "${expr}"`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`bad value "${text}" in --threshold "${expr}"`);
  return n;
}

/** Before the run: tags and stages must exist in the plan (endpoints are checked on the report). */
export function checkThresholdNames(thresholds: readonly Threshold[], known: { tags: readonly string[]; stages: readonly number[] }): void {
  for (const t of thresholds) {
    if (t.filter.tag !== undefined && !known.tags.includes(t.filter.tag)) {
      throw new UsageError(`unknown tag "${t.filter.tag}" in --threshold "${t.expr}" (tags: ${known.tags.join(', ') || 'none'})`);
    }
    if (t.filter.stage !== undefined && !known.stages.includes(t.filter.stage)) {
      throw new UsageError(`unknown stage ${t.filter.stage} in --threshold "${t.expr}" (stages: ${known.stages.join(', ')})`);
    }
  }
}

export function evaluateThresholds(thresholds: readonly Threshold[], report: ReplayReport): ThresholdResult[] {
  return thresholds.map((t) => {
    const value = measure(t, report);
    return { expr: t.expr, ok: value !== null && compare(value, t.op, t.value), value };
  });
}

/** The report's verdict: every threshold and the FIFO check hold. */
export function verdict(report: ReplayReport): boolean {
  return report.thresholds.every((t) => t.ok) && (report.fifo?.ok ?? true);
}

function measure(t: Threshold, report: ReplayReport): number | null {
  switch (t.metric) {
    case 'lag_p50':
      return report.lagMs.p50;
    case 'lag_p99':
      return report.lagMs.p99;
    case 'lag_max':
      return report.lagMs.max;
    case 'missed_starts':
      return report.missedStarts;
    case 'unreplaced_values':
      return report.unreplacedValues;
  }
  if (t.filter.endpoint !== undefined) return endpointMeasure(t, report);
  if (t.metric === 'exchanges_failed') return report.exchanges.failed;
  const group = groupOf(t, report);
  if (!group || group.sessions === 0) return null;
  switch (t.metric) {
    case 'success_rate':
      return group.successRate;
    case 'sessions':
      return group.sessions;
    case 'sessions_failed':
      return Math.round(group.sessions * (1 - group.successRate));
    default:
      return latencyValue(group.latencyMs, t.metric);
  }
}

function groupOf(t: Threshold, report: ReplayReport): GroupSummary | undefined {
  const { tag, stage } = t.filter;
  const overall: GroupSummary = { sessions: report.sessions.total, successRate: report.successRate, latencyMs: report.latencyMs };
  if (stage === undefined) return tag === undefined ? overall : report.byTag[tag];
  const s = report.stages.find((x) => x.index === stage);
  if (!s) throw new UsageError(`unknown stage ${stage} in --threshold "${t.expr}"`);
  return tag === undefined ? s : s.byTag[tag];
}

function endpointMeasure(t: Threshold, report: ReplayReport): number | null {
  const e = report.endpoints.find((x) => x.endpoint === t.filter.endpoint);
  if (!e) {
    throw new UsageError(`unknown endpoint "${t.filter.endpoint}" in --threshold "${t.expr}" (endpoints: ${report.endpoints.map((x) => x.endpoint).join(', ')})`);
  }
  if (t.metric === 'exchanges_failed') return e.failed;
  if (e.requests === 0) return null;
  return t.metric === 'success_rate' ? e.successRate : latencyValue(e.latencyMs, t.metric);
}

function latencyValue(l: LatencySummary, metric: Metric): number | null {
  if (l.count === 0) return null;
  return metric === 'p50' ? l.p50 : metric === 'p90' ? l.p90 : metric === 'p95' ? l.p95 : metric === 'p99' ? l.p99 : l.max;
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}
