import { count, grade, millis, percent } from '../figures.js';
import type { CompareReport, DiffKind, DiffSample, FieldDifference, ReplayReport, Risk, RouteDifferences } from '../model.js';
import type { Side } from './charts.js';
import { el, fragment, section, table, type Child, type Html } from './elements.js';
import { badge, code, empty, tiles, verdict } from './widgets.js';

/** What only a compare report has: the targets side by side and the difference tree. */

const RISKS: Risk[] = ['high', 'medium', 'low'];
const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };
/** A sample can be a whole body: enough to read the difference, not a megabyte of page. */
const SAMPLE_CHARS = 4000;

export function differenceTiles(report: CompareReport): Html {
  const s = report.summary;
  const routes = report.routes.filter((r) => r.differences.length > 0).length;
  return tiles([
    { label: 'High risk', value: count(s.high), detail: 'status, missing field, type, refused', tone: s.high > 0 ? 'bad' : 'good' },
    { label: 'Medium risk', value: count(s.medium), detail: 'changed value, close code', tone: s.medium > 0 ? 'warn' : 'good' },
    { label: 'Low risk', value: count(s.low), detail: 'added field or message' },
    { label: 'Noise cancelled', value: count(s.noise), detail: 'fields that differ between runs anyway' },
    { label: 'Routes differing', value: `${routes} of ${report.routes.length}`, detail: report.failOn ? `--fail-on ${report.failOn}` : 'no --fail-on given' },
  ]);
}

type Metric = [string, (r: ReplayReport) => Child];

const METRICS: Metric[] = [
  ['verdict', (r) => verdict(r.ok)],
  ['sessions', (r) => count(r.sessions.total)],
  ['failed sessions', (r) => count(r.sessions.failed)],
  ['success rate', (r) => el('span', { class: `${grade(r.successRate)}-text` }, percent(r.successRate))],
  ['exchanges (failed)', (r) => `${count(r.exchanges.total)} (${count(r.exchanges.failed)})`],
  ['latency p50', (r) => millis(r.latencyMs.p50)],
  ['latency p95', (r) => millis(r.latencyMs.p95)],
  ['latency p99', (r) => millis(r.latencyMs.p99)],
  ['latency max', (r) => millis(r.latencyMs.max)],
  ['unreplaced values', (r) => count(r.unreplacedValues)],
  ['missed starts', (r) => count(r.missedStarts)],
  ['schedule lag p99', (r) => millis(r.lagMs.p99)],
];

export function targetsSection(sides: Side[]): Html {
  return section(
    'Targets side by side',
    'targets',
    table<Metric>(
      [{ head: '', cell: (m) => m[0] }, ...sides.map((s) => ({ head: `${s.role} · ${s.report.target}`, numeric: true, cell: (m: Metric) => m[1](s.report) }))],
      METRICS,
    ),
  );
}

/** JSON, so a type change reads as one ("12" against 12); text diffs keep their lines as they are. */
function show(value: unknown, kind: DiffKind): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' && (kind === 'text' || kind === 'binary') ? value : JSON.stringify(value, null, 2);
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}\n… ${count(text.length - SAMPLE_CHARS)} more characters` : text;
}

function samplePair(sample: DiffSample, kind: DiffKind): Html {
  return el(
    'div',
    { class: 'pair' },
    el('div', { class: 'side' }, el('div', { class: 'who' }, 'primary'), el('pre', {}, show(sample.primary, kind))),
    el('div', { class: 'side' }, el('div', { class: 'who' }, 'candidate'), el('pre', {}, show(sample.candidate, kind))),
    (sample.at || sample.path) && el('div', { class: 'at' }, sample.path && fragment(code(sample.path), ' '), sample.at && fragment('at ', code(sample.at))),
  );
}

function fieldRow(d: FieldDifference): Html {
  return el(
    'details',
    { class: 'field' },
    el('summary', {}, el('span', { class: 'path' }, d.path), el('span', {}, d.kind), el('span', { class: 'num' }, count(d.raw)), el('span', { class: 'num' }, count(d.noise)), el('span', {}, badge(d.risk, d.risk))),
    el('div', { class: 'pairs' }, d.samples.length > 0 ? d.samples.map((sample) => samplePair(sample, d.kind)) : empty('No sample kept.')),
  );
}

function riskCounts(route: RouteDifferences): Html {
  return fragment(
    RISKS.map((risk) => {
      const n = route.differences.filter((d) => d.risk === risk).length;
      return n > 0 && badge(`${n} ${risk}`, risk);
    }),
    route.noise.length > 0 && badge(`${route.noise.length} noise`, 'noise'),
  );
}

function routeBlock(route: RouteDifferences, open: boolean): Html {
  const fields = [...route.differences].sort((a, b) => RISK_ORDER[a.risk] - RISK_ORDER[b.risk] || b.raw - a.raw);
  return el(
    'details',
    { class: 'route', open },
    el('summary', {}, el('span', { class: 'route-name' }, route.route), el('span', { class: 'requests' }, `${count(route.requests)} requests`), riskCounts(route)),
    el(
      'div',
      { class: 'body' },
      fields.length > 0
        ? fragment(el('div', { class: 'field-head' }, el('span', {}, 'path'), el('span', {}, 'kind'), el('span', { class: 'num' }, 'raw'), el('span', { class: 'num' }, 'noise'), el('span', {}, 'risk')), fields.map(fieldRow))
        : empty('No differences beyond noise.'),
      route.noise.length > 0 &&
        fragment(
          el('h3', {}, 'Noise cancelled'),
          table(
            [
              { head: 'path', cell: (n) => code(n.path) },
              { head: 'kind', cell: (n) => n.kind },
              { head: 'count', numeric: true, cell: (n) => count(n.count) },
              { head: 'why', cell: (n) => n.reason },
            ],
            route.noise,
          ),
        ),
    ),
  );
}

/** Routes with the most serious differences first; the ones that differ are open. */
export function differencesSection(report: CompareReport): Html {
  if (report.routes.length === 0) return section('Differences', 'differences', empty('No routes were compared.'));
  const worst = (r: RouteDifferences) => Math.min(3, ...r.differences.map((d) => RISK_ORDER[d.risk]));
  const routes = [...report.routes].sort((a, b) => worst(a) - worst(b) || b.differences.length - a.differences.length);
  return section(
    'Differences by route',
    'differences',
    el('p', { class: 'note' }, 'raw: primary vs candidate; noise: primary vs secondary (or recorded). Paths paste into --ignore. Click a field for sample pairs.'),
    routes.map((r) => routeBlock(r, r.differences.length > 0)),
  );
}
