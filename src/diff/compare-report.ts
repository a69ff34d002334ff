import type { Run, TargetRole } from '../model/run.js';
import type { CompareReport, ReplayReport, Risk, RouteDifferences, ThresholdResult } from '../report/model.js';
import { DiffAccumulator } from './accumulator.js';
import { atLeast } from './risk.js';

export interface CompareReportInput {
  run: Run;
  reports: Partial<Record<TargetRole, ReplayReport>>;
  routes: RouteDifferences[];
  failOn?: Risk;
}

/**
 * The compare report: each target's replay report side by side, the differences by route, and
 * the verdict. `ok` holds when every target passed its thresholds and FIFO check and, with
 * --fail-on, no difference reached that level.
 */
export function buildCompareReport({ run, reports, routes, failOn }: CompareReportInput): CompareReport {
  const { primary, candidate, secondary } = reports;
  if (!primary || !candidate) throw new Error('a compare run needs a primary and a candidate report');
  const report: CompareReport = {
    kind: 'compare',
    runId: run.id,
    recording: run.recording,
    startedAt: new Date(run.startedAt / 1000).toISOString(),
    durationMs: Math.max(0, ((run.endedAt ?? run.startedAt) - run.startedAt) / 1000),
    ok: true,
    targets: { primary, candidate, ...(secondary && { secondary }) },
    routes,
    summary: DiffAccumulator.summarise(routes),
    thresholds: targetThresholds(reports),
    ...(failOn && { failOn }),
  };
  report.ok = targetsPassed(report) && !differencesFail(report);
  return report;
}

/** Every target's thresholds, named by role: `candidate: p95<500`. */
function targetThresholds(reports: Partial<Record<TargetRole, ReplayReport>>): ThresholdResult[] {
  return (Object.entries(reports) as [TargetRole, ReplayReport][]).flatMap(([role, r]) => r.thresholds.map((t) => ({ ...t, expr: `${role}: ${t.expr}` })));
}

/** Every target held its thresholds and its FIFO check. */
export function targetsPassed(report: CompareReport): boolean {
  return Object.values(report.targets).every((r) => r.ok);
}

/** --fail-on saw a difference at its level or above. */
export function differencesFail(report: CompareReport): boolean {
  const level = report.failOn;
  return level !== undefined && report.routes.some((r) => r.differences.some((d) => atLeast(d.risk, level)));
}
