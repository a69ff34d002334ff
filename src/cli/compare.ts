import { Option, type Command } from 'commander';
import { differencesFail, targetsPassed } from '../diff/compare-report.js';
import { runCompare } from '../diff/compare-run.js';
import { DEFAULT_MARGINS, parsePercent } from '../diff/noise.js';
import { parseHeaderList } from '../diff/response-model.js';
import { colourEnabled } from '../report/colour.js';
import { renderCompareSummary } from '../report/compare-terminal.js';
import type { Risk } from '../report/model.js';
import { writeOutputs, type OutputOptions } from '../report/outputs.js';
import { print, storeOption, withRecording } from './common.js';
import { EXIT } from './exit.js';
import { addLoadFlags, loadOptions, type LoadFlags } from './load-flags.js';
import { addOutputOptions, outputOptions } from './output-options.js';
import { progressHook, storedOptions, untilInterrupted, writeJson } from './run-steps.js';

interface CompareFlags extends LoadFlags, OutputOptions {
  primary: string;
  candidate: string;
  secondary?: string;
  store: string;
  ignore: string[];
  route: string[];
  headers?: string;
  failOn?: Risk;
  noiseRelative: string;
  noiseAbsolute: string;
  out?: string;
  allowOrigin?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function compareCommand(program: Command): void {
  const cmd = program
    .command('compare')
    .description('replay the same sessions against two backends at once and diff their answers field by field, noise cancelled (exit 1 with --fail-on, 99 when a threshold fails)')
    .argument('<name>', 'recording name')
    .requiredOption('--primary <url>', 'the server whose answers are the reference, e.g. the current version')
    .requiredOption('--candidate <url>', 'the server under test')
    .option('--secondary <url>', 'a second instance of the primary: what differs between the two is noise')
    .addOption(storeOption());
  addLoadFlags(cmd)
    .option('--ignore <[route@]path>', 'drop a field, as the report prints it: body.user.created_at, "GET /api/me@body.token" (repeatable)', collect, [])
    .option('--route <template>', 'a route template for grouping, e.g. /users/:id or "GET /orgs/:org" (repeatable)', collect, [])
    .option('--headers <list>', 'headers compared: a list replaces the default (content-type,cache-control,set-cookie,location); +name,-name adjust it')
    .addOption(new Option('--fail-on <risk>', 'exit 1 when a difference at this risk or above is found').choices(['high', 'medium', 'low']))
    .option('--noise-relative <percent>', 'report a field only when (raw - noise) / (raw + noise) exceeds this', percentText(DEFAULT_MARGINS.relative))
    .option('--noise-absolute <percent>', 'and when (raw - noise) / compared exceeds this', percentText(DEFAULT_MARGINS.absolute))
    .option('--out <file>', 'write the report as JSON (schema in the README)')
    .option('--allow-origin', 'allow replaying against the origin the recording was taken from');
  addOutputOptions(cmd).action(async (name: string, flags: CompareFlags) => {
    const load = await loadOptions(flags);
    const margins = { relative: parsePercent(flags.noiseRelative, '--noise-relative'), absolute: parsePercent(flags.noiseAbsolute, '--noise-absolute') };
    const headers = flags.headers === undefined ? undefined : parseHeaderList(flags.headers);
    await untilInterrupted((signal) =>
      withRecording(flags.store, name, async (store) => {
        const progress = progressHook('compare', flags.quiet ?? false);
        const outcome = await runCompare({
          ...load,
          store,
          primary: flags.primary,
          candidate: flags.candidate,
          ...(flags.secondary && { secondary: flags.secondary }),
          ignore: flags.ignore,
          routeTemplates: flags.route,
          ...(headers && { headers }),
          margins,
          ...(flags.failOn && { failOn: flags.failOn }),
          allowOrigin: flags.allowOrigin ?? false,
          commandOptions: storedOptions(name, flags, load.seed),
          onProgress: progress.update,
          signal,
        });
        progress.done();
        const { report } = outcome;
        await print(renderCompareSummary(report, { color: colourEnabled(process.stdout) }));
        if (outcome.resultsDropped > 0 && !flags.quiet) process.stderr.write(`reprise: ${outcome.resultsDropped} results could not be stored (the store fell behind); the comparison saw them all\n`);
        if (flags.out) await writeJson(flags.out, report);
        await writeOutputs(report, outputOptions(flags));
        process.exitCode = differencesFail(report) ? EXIT.differences : targetsPassed(report) ? EXIT.ok : EXIT.thresholds;
      }),
    );
  });
}

/** 0.0003 -> "0.03", as the flags take it. */
function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(6)));
}
