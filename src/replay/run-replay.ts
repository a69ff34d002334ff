import { randomBytes } from 'node:crypto';
import type { RouteTemplates } from '../diff/routes.js';
import { UsageError } from '../model/errors.js';
import { JsonPathError, parseJsonPath, type PathSegment } from '../model/json-path.js';
import type { Run, RunKind, RunTarget, SessionResult, TargetRole } from '../model/run.js';
import type { Session } from '../model/session.js';
import type { ReplayReport } from '../report/model.js';
import { ReplaySummary } from '../report/replay-summary.js';
import { checkThresholdNames, evaluateThresholds, verdict, type Threshold } from '../report/thresholds.js';
import type { RecordingStore } from '../store/recording-store.js';
import { epochUs } from '../model/clock.js';
import { EventCache } from './event-cache.js';
import { ResultSink } from './result-sink.js';
import { FifoCheck, fifoMatcher, type FifoSpec } from './fifo.js';
import { buildPlan, readSessionIndex, type Plan, type PlanOptions, type PlannedStart } from './plan.js';
import { runSchedule, type StartTiming } from './scheduler.js';
import { checkReachable, refuseOrigin, userTarget } from './target.js';
import { identityFor, type UsersTable, type VaryRule } from './vary.js';
import { VirtualUser, type UserTarget } from './virtual-user.js';
import { messageKey } from './ws-match.js';

export interface ReplayOptions extends PlanOptions {
  store: RecordingStore;
  /** One for replay; compare passes primary and candidate (and secondary). Same copy = same user. */
  targets: RunTarget[];
  kind?: RunKind;
  /** Per exchange and per awaited server message; default 30 s. */
  timeoutMs?: number;
  maxLagMs?: number;
  /** JSONPath (`$.type`) pairing server messages with their recorded counterparts. */
  wsKey?: string;
  expectFifo?: FifoSpec;
  thresholds?: Threshold[];
  vary?: VaryRule[];
  users?: UsersTable;
  /** Keep response headers and bodies in the stored results (compare diffs them). */
  retain?: boolean;
  routes?: RouteTemplates;
  allowOrigin?: boolean;
  /** The command's flags as given, stored with the run. */
  commandOptions?: Record<string, unknown>;
  onResult?: (result: SessionResult) => void;
  onProgress?: (progress: ReplayProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

/** Counted over every role: with two targets each planned start is two virtual users. */
export interface ReplayProgress {
  planned: number;
  started: number;
  finished: number;
  succeeded: number;
  failed: number;
  missed: number;
  active: number;
  elapsedMs: number;
  done: boolean;
}

export interface ReplayOutcome {
  run: Run;
  plan: Plan;
  reports: Partial<Record<TargetRole, ReplayReport>>;
  /** Every report's thresholds and FIFO check held. */
  ok: boolean;
  /** Results the store could not keep up with (the reports still count them). */
  resultsDropped: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A replay: plan, check, then follow the plan against every target at once, streaming each
 * virtual user's result into the store, the summaries and onResult. Only counters and
 * histograms stay in memory, so the run's length is not bounded by memory.
 */
export async function runReplay(o: ReplayOptions): Promise<ReplayOutcome> {
  if (o.targets.length === 0) throw new UsageError('no target to replay against');
  const targets = o.targets.map((t) => {
    refuseOrigin(t, o.store.meta.target, o.allowOrigin ?? false);
    return userTarget(t);
  });
  const key = messageKey(o.wsKey === undefined ? undefined : parseWsKey(o.wsKey));
  const plan = buildPlan(await readSessionIndex(o.store), o);
  checkThresholdNames(o.thresholds ?? [], { tags: plan.tags, stages: plan.stages.map((s) => s.index) });
  for (const t of o.targets) await checkReachable(t);

  const startedAt = epochUs();
  const run: Run = { id: runId(startedAt), kind: o.kind ?? 'replay', recording: o.store.name, startedAt, targets: o.targets, options: o.commandOptions ?? {} };
  await o.store.putRun(run);
  const execution = new Execution(o, run, plan, targets, key);
  const schedule = await execution.follow();
  const endedAt = epochUs();

  const reports: Partial<Record<TargetRole, ReplayReport>> = {};
  // A threshold naming an endpoint the run never saw is only found now; the run is kept anyway.
  let badThreshold: unknown;
  for (const t of targets) {
    const report = execution.summaries.get(t.role)!.build({
      endedAt,
      lag: schedule.lag,
      missedStarts: schedule.missed,
      ...(execution.fifo.has(t.role) && { fifo: execution.fifo.get(t.role)!.result() }),
    });
    try {
      report.thresholds = evaluateThresholds(o.thresholds ?? [], report);
    } catch (error) {
      badThreshold ??= error;
    }
    report.ok = badThreshold === undefined && verdict(report);
    reports[t.role] = report;
  }
  run.endedAt = endedAt;
  if (run.kind === 'replay') run.report = reports[targets[0]!.role];
  await o.store.putRun(run);
  if (badThreshold !== undefined) throw badThreshold;
  return { run, plan, reports, ok: Object.values(reports).every((r) => r.ok), resultsDropped: execution.dropped() };
}

type Key = ReturnType<typeof messageKey>;

/** The running part: virtual users in flight, their results streamed out as they end. */
class Execution {
  readonly summaries = new Map<TargetRole, ReplaySummary>();
  readonly fifo = new Map<TargetRole, FifoCheck>();
  private readonly results: ResultSink;
  private readonly inFlight = new Set<Promise<void>>();
  /** Users running now; one abort listener ends them all (none per user). */
  private readonly users = new Set<VirtualUser>();
  private readonly sessions = new SessionCache();
  private readonly events: EventCache;
  private readonly progress: ReplayProgress;
  private readonly matcher: ReturnType<typeof fifoMatcher> | undefined;

  constructor(
    private readonly o: ReplayOptions,
    run: Run,
    private readonly plan: Plan,
    private readonly targets: UserTarget[],
    private readonly key: Key,
  ) {
    this.results = new ResultSink(o.store.resultWriter(run.id));
    this.events = new EventCache(o.store);
    this.matcher = o.expectFifo && fifoMatcher(o.expectFifo);
    for (const t of targets) {
      const target = o.targets.find((x) => x.role === t.role)!.url;
      this.summaries.set(t.role, new ReplaySummary({ runId: run.id, recording: run.recording, target, startedAt: run.startedAt, stages: plan.stages, ...(o.routes && { routes: o.routes }) }));
      if (o.expectFifo) this.fifo.set(t.role, new FifoCheck(o.expectFifo));
    }
    this.progress = { planned: plan.starts.length * targets.length, started: 0, finished: 0, succeeded: 0, failed: 0, missed: 0, active: 0, elapsedMs: 0, done: false };
  }

  async follow(): Promise<Awaited<ReturnType<typeof runSchedule>>> {
    const t0 = Date.now();
    const report = (done: boolean): void => this.o.onProgress?.({ ...this.progress, elapsedMs: Date.now() - t0, done });
    const ticker = this.o.onProgress ? setInterval(() => report(false), this.o.progressIntervalMs ?? 1000) : undefined;
    const abortAll = (): void => {
      for (const user of this.users) user.abort();
    };
    this.o.signal?.addEventListener('abort', abortAll, { once: true });
    try {
      const schedule = await runSchedule(this.plan.starts, {
        ...(this.o.maxLagMs !== undefined && { maxLagMs: this.o.maxLagMs }),
        ...(this.o.signal && { signal: this.o.signal }),
        onStart: (start, timing) => {
          for (const target of this.targets) this.launch(target, start, timing);
        },
        onMissed: () => {
          this.progress.missed += this.targets.length;
        },
      });
      while (this.inFlight.size > 0) await Promise.all(this.inFlight);
      await this.results.flush();
      return schedule;
    } finally {
      this.o.signal?.removeEventListener('abort', abortAll);
      clearInterval(ticker);
      report(true);
    }
  }

  dropped(): number {
    return this.results.dropped();
  }

  private launch(target: UserTarget, start: PlannedStart, timing: StartTiming): void {
    this.progress.started++;
    this.progress.active++;
    const task = this.play(target, start, timing).then((result) => this.finish(result));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async play(target: UserTarget, start: PlannedStart, timing: StartTiming): Promise<SessionResult> {
    let session: Session | undefined;
    try {
      session = await this.sessions.get(this.o.store, start.sessionId);
      const identity = identityFor(start.copy, start.sessionId, this.o.vary ?? [], this.o.users);
      const source = this.events.events(session);
      const user = new VirtualUser({
        target,
        start,
        timing,
        session,
        events: source instanceof Promise ? await source : source,
        speed: this.o.speed ?? 1,
        timeoutMs: this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        key: this.key,
        retain: this.o.retain ?? false,
        ...(identity && { identity }),
        ...(this.matcher && { fifo: this.matcher }),
      });
      this.users.add(user);
      if (this.o.signal?.aborted) user.abort();
      try {
        return await user.run();
      } finally {
        this.users.delete(user);
      }
    } catch (error) {
      return brokenResult(target.role, start, timing, session, error);
    }
  }

  private finish(result: SessionResult): void {
    this.progress.active--;
    this.progress.finished++;
    if (result.ok) this.progress.succeeded++;
    else this.progress.failed++;
    this.summaries.get(result.role)!.add(result);
    this.fifo.get(result.role)?.add(result);
    this.results.put(result);
    this.o.onResult?.(result);
  }
}

/** Sessions are small (events stay in the store); many copies of one share one read. */
class SessionCache {
  private readonly cache = new Map<string, Promise<Session>>();

  get(store: RecordingStore, id: string): Promise<Session> {
    let hit = this.cache.get(id);
    if (!hit) {
      if (this.cache.size >= 10_000) this.cache.clear();
      hit = store.session(id).then((s) => {
        if (!s) throw new Error(`session ${id} is in the index but not in the store`);
        return s;
      });
      this.cache.set(id, hit);
    }
    return hit;
  }
}

function brokenResult(role: TargetRole, start: PlannedStart, timing: StartTiming, session: Session | undefined, error: unknown): SessionResult {
  return {
    role,
    copy: start.copy,
    sessionId: start.sessionId,
    tags: session?.tags ?? [],
    stage: start.stage,
    plannedStart: timing.plannedAt,
    actualStart: timing.actualAt,
    end: epochUs(),
    ok: false,
    exchanges: [],
    websockets: [],
    unreplaced: [],
    failure: `session unreadable: ${(error as Error)?.message ?? String(error)}`,
  };
}

function parseWsKey(path: string): PathSegment[] {
  try {
    return parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathError) throw new UsageError(`bad --ws-key "${path}": ${error.message}`);
    throw error;
  }
}

/** Sortable and readable: `20250101-120000-3fa9`. */
function runId(startedAtUs: number): string {
  const iso = new Date(startedAtUs / 1000).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${randomBytes(2).toString('hex')}`;
}
