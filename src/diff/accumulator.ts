import type { DiffKind, DiffSample, FieldDifference, NoiseField, Risk, RouteDifferences } from '../report/model.js';
import type { Difference } from './difference.js';
import type { IgnoreRules } from './ignore.js';
import { DEFAULT_MARGINS, isSignificant, type NoiseMargins } from './noise.js';
import { maxRisk, riskRank } from './risk.js';
import type { ValueShape } from './shapes.js';

export interface AccumulatorOptions {
  margins?: NoiseMargins;
  ignore?: IgnoreRules;
  /** Samples kept per field; counts stay exact. */
  maxSamples?: number;
  /** Where the second primary sample came from, named in the noise list. */
  noiseSource?: 'secondary' | 'recorded';
}

export interface DiffSummary {
  high: number;
  medium: number;
  low: number;
  noise: number;
}

/** One compared pair: the route, where it came from, and what the differs emitted. */
export interface ComparedPair {
  route: string;
  /** `<sessionId>#<copy> seq <n>`, for samples. */
  at: string;
  /** Primary vs candidate. */
  raw: readonly Difference[];
  /** Primary vs the second primary sample. */
  noise: readonly Difference[];
}

/**
 * Takes compared pairs as they stream in and keeps, per route and field (path and kind), exact
 * counts and a few samples: memory grows with the number of distinct fields, not of responses.
 * A pair counts at most once per field, however many array elements differ there.
 */
export class DiffAccumulator {
  private readonly routeStates = new Map<string, RouteState>();
  private readonly margins: NoiseMargins;
  private readonly maxSamples: number;
  private readonly noiseSource: string;

  constructor(private readonly options: AccumulatorOptions = {}) {
    this.margins = options.margins ?? DEFAULT_MARGINS;
    this.maxSamples = options.maxSamples ?? 3;
    this.noiseSource = options.noiseSource ?? 'recorded';
  }

  add(pair: ComparedPair): void {
    const state = this.route(pair.route);
    state.requests++;
    if (pair.raw.length > 0) this.addRaw(state, pair);
    if (pair.noise.length > 0) this.addNoise(state, pair);
  }

  routes(): RouteDifferences[] {
    const out = [...this.routeStates.entries()].map(([route, state]) => this.conclude(route, state));
    const weight = (r: RouteDifferences) => r.differences.reduce((n, d) => n + d.raw, 0);
    return out.sort((a, b) => weight(b) - weight(a) || b.requests - a.requests || a.route.localeCompare(b.route));
  }

  static summarise(routes: readonly RouteDifferences[]): DiffSummary {
    const summary: DiffSummary = { high: 0, medium: 0, low: 0, noise: 0 };
    for (const r of routes) {
      for (const d of r.differences) summary[d.risk]++;
      summary.noise += r.noise.length;
    }
    return summary;
  }

  private route(name: string): RouteState {
    let state = this.routeStates.get(name);
    if (!state) this.routeStates.set(name, (state = { requests: 0, fields: new Map() }));
    return state;
  }

  private addRaw(state: RouteState, pair: ComparedPair): void {
    // Per field: a real difference in this pair outranks a shape match elsewhere in it.
    const seen = new Map<string, Difference>();
    for (const d of pair.raw) {
      if (this.ignored(pair.route, d)) continue;
      const key = fieldKey(d);
      const before = seen.get(key);
      if (!before || (before.shape && !d.shape)) seen.set(key, d);
      else if (!before.shape && !d.shape && riskRank(d.risk) < riskRank(before.risk)) seen.set(key, d);
    }
    for (const [key, d] of seen) {
      const field = this.field(state, key, d);
      if (d.shape) {
        field.shapes.set(d.shape, (field.shapes.get(d.shape) ?? 0) + 1);
        continue;
      }
      field.raw++;
      field.risk = field.risk ? maxRisk(field.risk, d.risk) : d.risk;
      if (field.samples.length < this.maxSamples) field.samples.push(sampleOf(d, pair.at));
    }
  }

  private addNoise(state: RouteState, pair: ComparedPair): void {
    const counted = new Set<string>();
    for (const d of pair.noise) {
      // A shape match is noise on both sides alike; only unexplained differences weigh here.
      if (d.shape || this.ignored(pair.route, d)) continue;
      const key = fieldKey(d);
      if (counted.has(key)) continue;
      counted.add(key);
      this.field(state, key, d).noise++;
    }
  }

  private ignored(route: string, d: Difference): boolean {
    return this.options.ignore !== undefined && this.options.ignore.ignores(route, d.path);
  }

  private field(state: RouteState, key: string, d: Difference): FieldState {
    let field = state.fields.get(key);
    if (!field) state.fields.set(key, (field = { path: d.path, kind: d.kind, raw: 0, noise: 0, samples: [], shapes: new Map() }));
    return field;
  }

  private conclude(route: string, state: RouteState): RouteDifferences {
    const differences: FieldDifference[] = [];
    const noise: NoiseField[] = [];
    for (const f of state.fields.values()) {
      for (const [shape, count] of f.shapes) noise.push({ path: f.path, kind: f.kind, count, reason: shape });
      if (f.raw === 0) continue;
      if (isSignificant(f.raw, f.noise, state.requests, this.margins)) {
        differences.push({ path: f.path, kind: f.kind, raw: f.raw, noise: f.noise, risk: f.risk!, samples: f.samples });
      } else {
        noise.push({ path: f.path, kind: f.kind, count: f.raw, reason: this.noiseSource, noise: f.noise });
      }
    }
    differences.sort((a, b) => riskRank(a.risk) - riskRank(b.risk) || b.raw - a.raw || a.path.localeCompare(b.path));
    noise.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
    return { route, requests: state.requests, differences, noise };
  }
}

interface RouteState {
  requests: number;
  fields: Map<string, FieldState>;
}

interface FieldState {
  path: string;
  kind: DiffKind;
  raw: number;
  noise: number;
  risk?: Risk;
  samples: DiffSample[];
  shapes: Map<ValueShape, number>;
}

function fieldKey(d: Difference): string {
  return `${d.path}\u0000${d.kind}`;
}

function sampleOf(d: Difference, at: string): DiffSample {
  return {
    primary: bounded(d.primary),
    candidate: bounded(d.candidate),
    at,
    ...(d.concretePath !== d.path ? { path: d.concretePath } : {}),
  };
}

/** Samples stay small: a long string or a big subtree is cut to a preview. */
const MAX_SAMPLE_CHARS = 200;

function bounded(value: unknown): unknown {
  if (typeof value === 'string') return value.length <= MAX_SAMPLE_CHARS ? value : `${value.slice(0, MAX_SAMPLE_CHARS)}…`;
  if (value === null || typeof value !== 'object') return value;
  const json = JSON.stringify(value);
  return json.length <= MAX_SAMPLE_CHARS ? value : `${json.slice(0, MAX_SAMPLE_CHARS)}…`;
}
