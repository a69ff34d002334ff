import type { SessionResult } from '../model/run.js';
import { RouteTemplates } from '../diff/routes.js';
import { LatencyHistogram } from './latency.js';
import type { EndpointSummary, FifoResult, GroupSummary, ReplayReport, StageSummary, TimelinePoint } from './model.js';

export interface SummaryContext {
  runId: string;
  recording: string;
  target: string;
  /** Epoch µs the run started; the timeline counts seconds from here. */
  startedAt: number;
  stages: readonly { index: number; spec: string }[];
  routes?: RouteTemplates;
}

export interface RunTotals {
  /** Epoch µs. */
  endedAt: number;
  lag: LatencyHistogram;
  missedStarts: number;
  fifo?: FifoResult;
}

/** Endpoints beyond this many distinct routes are summed up as one, so memory stays bounded. */
const MAX_ENDPOINTS = 500;
const MAX_FAILURE_REASONS = 200;
const OTHER = '(other)';

class Group {
  sessions = 0;
  succeeded = 0;

  summary(latency: LatencyHistogram): GroupSummary {
    return { sessions: this.sessions, successRate: rate(this.succeeded, this.sessions), latencyMs: latency.summary() };
  }
}

/**
 * Latency is recorded once per exchange, into the cell of its session's stage and tags; tag,
 * stage and overall figures merge cells when the report is built. One record per exchange
 * instead of one per group keeps a --speed max replay cheap.
 */
interface Cell {
  stage: number;
  tags: readonly string[];
  latency: LatencyHistogram;
}

class Endpoint {
  requests = 0;
  failed = 0;
  readonly latency = new LatencyHistogram();
}

class Second {
  started = 0;
  finished = 0;
  requests = 0;
  failed = 0;
  readonly latency = new LatencyHistogram(2);
}

/**
 * One role's ReplayReport, accumulated result by result: counters and HDR histograms only, so a
 * run of any length summarises in bounded memory while its results stream to the store.
 */
export class ReplaySummary {
  private readonly overall = new Group();
  private readonly byTag = new Map<string, Group>();
  private readonly stages = new Map<number, { group: Group; byTag: Map<string, Group> }>();
  private readonly cells = new Map<string, Cell>();
  /** Route names per method and URL, so the hot path neither templates nor builds strings. */
  private readonly routeCache = new Map<string, Map<string, string>>();
  private cachedRoutes = 0;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly timeline: Second[] = [];
  private readonly failures = new Map<string, number>();
  private readonly exchanges = { total: 0, failed: 0 };
  private unreplaced = 0;
  private readonly routes: RouteTemplates;

  constructor(private readonly ctx: SummaryContext) {
    this.routes = ctx.routes ?? new RouteTemplates();
    for (const s of ctx.stages) this.stages.set(s.index, { group: new Group(), byTag: new Map() });
  }

  add(r: SessionResult): void {
    const stage = getOr(this.stages, r.stage, () => ({ group: new Group(), byTag: new Map<string, Group>() }));
    const groups = [this.overall, stage.group];
    for (const t of r.tags) groups.push(getOr(this.byTag, t, () => new Group()), getOr(stage.byTag, t, () => new Group()));
    for (const g of groups) {
      g.sessions++;
      if (r.ok) g.succeeded++;
    }
    const cell = getOr(this.cells, `${r.stage}|${r.tags.join(',')}`, () => ({ stage: r.stage, tags: r.tags, latency: new LatencyHistogram() }));
    this.second(r.actualStart).started++;
    this.second(r.end).finished++;
    this.unreplaced += r.unreplaced.length;
    if (r.failure) this.fail(r.failure);
    for (const x of r.exchanges) this.exchange(cell, x.method, x.url, x.failure, x.status !== undefined ? x.latencyMs : undefined, x.sentAt);
    for (const w of r.websockets) this.exchange(cell, 'WS', w.url, w.failure, w.handshakeMs, w.sentAt);
  }

  build(totals: RunTotals): ReplayReport {
    const sessions = { total: this.overall.sessions, succeeded: this.overall.succeeded, failed: this.overall.sessions - this.overall.succeeded };
    const lag = totals.lag.summary();
    return {
      kind: 'replay',
      runId: this.ctx.runId,
      recording: this.ctx.recording,
      target: this.ctx.target,
      startedAt: new Date(this.ctx.startedAt / 1000).toISOString(),
      durationMs: Math.max(0, (totals.endedAt - this.ctx.startedAt) / 1000),
      ok: true,
      sessions,
      exchanges: { total: this.exchanges.total, succeeded: this.exchanges.total - this.exchanges.failed, failed: this.exchanges.failed },
      successRate: rate(sessions.succeeded, sessions.total),
      latencyMs: this.latencyOf(() => true).summary(),
      byTag: this.tagSummaries(this.byTag, () => true),
      stages: this.stageSummaries(),
      endpoints: this.endpointSummaries(),
      lagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
      missedStarts: totals.missedStarts,
      unreplacedValues: this.unreplaced,
      thresholds: [],
      failures: [...this.failures].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      ...(totals.fifo && { fifo: totals.fifo }),
      timeline: this.timelinePoints(),
    };
  }

  private exchange(cell: Cell, method: string, url: string, failure: string | undefined, latencyMs: number | undefined, sentAt: number): void {
    const endpoint = this.endpoint(method, url);
    endpoint.requests++;
    this.exchanges.total++;
    const second = this.second(sentAt + (latencyMs ?? 0) * 1000);
    second.requests++;
    if (failure) {
      endpoint.failed++;
      this.exchanges.failed++;
      second.failed++;
      this.fail(failure);
    }
    if (latencyMs === undefined) return;
    endpoint.latency.record(latencyMs);
    second.latency.record(latencyMs);
    cell.latency.record(latencyMs);
  }

  private endpoint(method: string, url: string): Endpoint {
    const byUrl = getOr(this.routeCache, method, () => new Map<string, string>());
    let name = byUrl.get(url);
    if (name === undefined) {
      name = this.routes.routeOf(method, url);
      if (this.cachedRoutes++ < 10_000) byUrl.set(url, name);
    }
    if (!this.endpoints.has(name) && this.endpoints.size >= MAX_ENDPOINTS) name = OTHER;
    return getOr(this.endpoints, name, () => new Endpoint());
  }

  private latencyOf(match: (cell: Cell) => boolean): LatencyHistogram {
    const merged = new LatencyHistogram();
    for (const cell of this.cells.values()) if (match(cell)) merged.add(cell.latency);
    return merged;
  }

  private tagSummaries(groups: Map<string, Group>, inScope: (cell: Cell) => boolean): Record<string, GroupSummary> {
    const out: Record<string, GroupSummary> = {};
    for (const [tag, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      out[tag] = g.summary(this.latencyOf((c) => inScope(c) && c.tags.includes(tag)));
    }
    return out;
  }

  private fail(reason: string): void {
    const key = this.failures.has(reason) || this.failures.size < MAX_FAILURE_REASONS ? reason : OTHER;
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }

  private second(atUs: number): Second {
    const t = Math.max(0, Math.floor((atUs - this.ctx.startedAt) / 1_000_000));
    while (this.timeline.length <= t) this.timeline.push(new Second());
    return this.timeline[t]!;
  }

  private stageSummaries(): StageSummary[] {
    const specs = new Map(this.ctx.stages.map((s) => [s.index, s.spec]));
    return [...this.stages]
      .sort(([a], [b]) => a - b)
      .map(([index, s]) => ({
        index,
        spec: specs.get(index) ?? String(index),
        ...s.group.summary(this.latencyOf((c) => c.stage === index)),
        byTag: this.tagSummaries(s.byTag, (c) => c.stage === index),
      }));
  }

  private endpointSummaries(): EndpointSummary[] {
    return [...this.endpoints]
      .map(([endpoint, e]) => ({
        endpoint,
        requests: e.requests,
        failed: e.failed,
        successRate: rate(e.requests - e.failed, e.requests),
        latencyMs: e.latency.summary(),
      }))
      .sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint));
  }

  private timelinePoints(): TimelinePoint[] {
    let active = 0;
    return this.timeline.map((s, t) => {
      active += s.started - s.finished;
      const l = s.latency;
      return {
        t,
        started: s.started,
        finished: s.finished,
        active,
        requests: s.requests,
        failed: s.failed,
        latencyMs: { p50: l.percentile(50), p95: l.percentile(95), p99: l.percentile(99) },
      };
    });
  }
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
