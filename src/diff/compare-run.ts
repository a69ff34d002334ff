import type { Run, RunTarget, SessionResult, TargetRole } from '../model/run.js';
import type { CompareReport, Risk } from '../report/model.js';
import { runReplay, type ReplayOptions } from '../replay/run-replay.js';
import { DiffAccumulator } from './accumulator.js';
import { buildCompareReport } from './compare-report.js';
import { IgnoreRules } from './ignore.js';
import type { NoiseMargins } from './noise.js';
import { RecordedSessions } from './recorded-reference.js';
import { DEFAULT_HEADERS, type ModelOptions } from './response-model.js';
import { ResultPairer } from './result-pairing.js';
import { RouteTemplates } from './routes.js';
import { parseWsKey } from './ws-align.js';

export interface CompareOptions extends Omit<ReplayOptions, 'targets' | 'kind' | 'retain' | 'routes'> {
  primary: string;
  candidate: string;
  /** A second instance of the primary's code: what differs between the two is noise. */
  secondary?: string;
  /** --ignore specs, `[ROUTE@]PATH`. */
  ignore?: readonly string[];
  /** --route templates. */
  routeTemplates?: readonly string[];
  /** Headers compared; default DEFAULT_HEADERS. */
  headers?: readonly string[];
  margins?: NoiseMargins;
  maxSamples?: number;
  failOn?: Risk;
}

export interface CompareOutcome {
  report: CompareReport;
  run: Run;
  /** Results the store could not keep up with (the comparison still saw them). */
  resultsDropped: number;
}

/**
 * `reprise compare` without the CLI: every target replays its own copy of every session at
 * once, and each copy is diffed across the targets the moment all of them have finished it, so
 * only copies in flight are held. The report is stored on the run.
 */
export async function runCompare(o: CompareOptions): Promise<CompareOutcome> {
  const ignore = new IgnoreRules(o.ignore ?? []);
  const routes = new RouteTemplates(o.routeTemplates ?? []);
  const wsKey = o.wsKey === undefined ? undefined : parseWsKey(o.wsKey);
  const targets: RunTarget[] = [
    { role: 'primary', url: o.primary },
    { role: 'candidate', url: o.candidate },
    ...(o.secondary ? [{ role: 'secondary' as const, url: o.secondary }] : []),
  ];
  const headers = o.headers ?? DEFAULT_HEADERS;
  const models: Partial<Record<TargetRole, ModelOptions>> = {};
  for (const t of targets) models[t.role] = { headers, origin: originOf(t.url) };
  const accumulator = new DiffAccumulator({
    ignore,
    noiseSource: o.secondary ? 'secondary' : 'recorded',
    ...(o.margins && { margins: o.margins }),
    ...(o.maxSamples !== undefined && { maxSamples: o.maxSamples }),
  });
  const pairer = new ResultPairer({
    roles: targets.map((t) => t.role),
    models,
    routes,
    accumulator,
    ...(wsKey && { wsKey }),
    ...(!o.secondary && { recorded: new RecordedSessions(o.store, { headers, origin: originOf(o.store.meta.target) }) }),
  });

  const outcome = await runReplay({
    ...o,
    targets,
    kind: 'compare',
    retain: true,
    routes,
    onResult: (result: SessionResult) => {
      pairer.add(result);
      o.onResult?.(result);
    },
  });
  await pairer.finish();
  const report = buildCompareReport({ run: outcome.run, reports: outcome.reports, routes: accumulator.routes(), ...(o.failOn && { failOn: o.failOn }) });
  const run: Run = { ...outcome.run, report };
  await o.store.putRun(run);
  return { report, run, resultsDropped: outcome.resultsDropped };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
