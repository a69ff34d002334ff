import type { ReplayReport, TimelinePoint } from '../model.js';

/**
 * The charts as plain data: the page's script hands each spec to the chart library as it is, so
 * everything the charts show is decided (and tested) here.
 */
export interface ChartSpec {
  id: string;
  title: string;
  /** How the y axis reads: `ms`, `/s`, or a count. */
  unit: 'ms' | '/s' | 'sessions';
  /** Seconds since the run started. */
  x: number[];
  series: SeriesSpec[];
}

export interface SeriesSpec {
  label: string;
  color: string;
  /** null where the second had nothing to measure: the line breaks instead of dropping to 0. */
  values: (number | null)[];
  dash?: boolean;
}

/** One replayed target's timeline, named by its role when there are several. */
export interface Side {
  role: string;
  report: ReplayReport;
}

const PALETTE = ['#2563eb', '#d97706', '#7c3aed', '#059669'];
const BAD = '#dc2626';

type Metric = (p: TimelinePoint) => number | null;

const latencyOf = (pick: 'p50' | 'p95' | 'p99'): Metric => (p) => (p.requests > 0 ? p.latencyMs[pick] : null);

export function chartSpecs(sides: Side[]): ChartSpec[] {
  const x = secondsAxis(sides);
  const single = sides.length === 1;
  const named = (side: Side, what: string) => (single ? what : `${side.role} ${what}`);
  const lines = (what: string, metric: Metric, colorShift = 0, dash = false) =>
    sides.map((side, i) => series(named(side, what), PALETTE[(i + colorShift) % PALETTE.length]!, x, side.report.timeline, metric, dash));
  return [
    {
      id: 'chart-latency',
      title: 'Latency over time',
      unit: 'ms',
      x,
      series: single
        ? [lines('p50', latencyOf('p50'), 0), lines('p95', latencyOf('p95'), 1), lines('p99', latencyOf('p99'), 2)].flat()
        : [lines('p95', latencyOf('p95')), lines('p50', latencyOf('p50'), 0, true)].flat(),
    },
    {
      id: 'chart-throughput',
      title: 'Throughput (requests per second)',
      unit: '/s',
      x,
      series: [
        ...lines('requests', (p) => p.requests),
        ...sides.map((side, i) => series(named(side, 'failed'), single ? BAD : PALETTE[i % PALETTE.length]!, x, side.report.timeline, (p) => p.failed, !single)),
      ],
    },
    {
      id: 'chart-sessions',
      title: 'Active sessions',
      unit: 'sessions',
      x,
      series: [...lines('active', (p) => p.active), ...lines('started/s', (p) => p.started, single ? 1 : 0, true)],
    },
  ];
}

/** Every second any side has a point for; sides that ended earlier have gaps after their end. */
function secondsAxis(sides: Side[]): number[] {
  const seconds = new Set<number>();
  for (const side of sides) for (const p of side.report.timeline) seconds.add(p.t);
  return [...seconds].sort((a, b) => a - b);
}

function series(label: string, color: string, x: number[], timeline: TimelinePoint[], metric: Metric, dash: boolean): SeriesSpec {
  const byT = new Map(timeline.map((p) => [p.t, p]));
  const values = x.map((t) => {
    const p = byT.get(t);
    const v = p ? metric(p) : null;
    return v === null || !Number.isFinite(v) ? null : Number(v.toFixed(3));
  });
  return dash ? { label, color, values, dash } : { label, color, values };
}
