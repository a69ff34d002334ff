import type { Command } from 'commander';
import { runReplay } from '../replay/run-replay.js';
import { colourEnabled } from '../report/colour.js';
import { writeOutputs, type OutputOptions } from '../report/outputs.js';
import { renderReplaySummary } from '../report/terminal.js';
import { print, storeOption, withRecording } from './common.js';
import { EXIT } from './exit.js';
import { addLoadFlags, loadOptions, type LoadFlags } from './load-flags.js';
import { addOutputOptions, outputOptions } from './output-options.js';
import { progressHook, storedOptions, untilInterrupted, writeJson } from './run-steps.js';

interface ReplayFlags extends LoadFlags, OutputOptions {
  target: string;
  store: string;
  out?: string;
  allowOrigin?: boolean;
}

export function replayCommand(program: Command): void {
  const cmd = program
    .command('replay')
    .description('replay recorded sessions against a target, multiplied and time-scaled, and summarise (exit 99 when a threshold fails)')
    .argument('<name>', 'recording name')
    .requiredOption('--target <url>', 'the server to replay against, e.g. http://127.0.0.1:8080')
    .addOption(storeOption());
  addLoadFlags(cmd)
    .option('--out <file>', 'write the report as JSON (schema in the README)')
    .option('--allow-origin', 'allow replaying against the origin the recording was taken from');
  addOutputOptions(cmd).action(async (name: string, flags: ReplayFlags) => {
    const load = await loadOptions(flags);
    await untilInterrupted((signal) =>
      withRecording(flags.store, name, async (store) => {
        const progress = progressHook('replay', flags.quiet ?? false);
        const outcome = await runReplay({
          ...load,
          store,
          targets: [{ role: 'primary', url: flags.target }],
          allowOrigin: flags.allowOrigin ?? false,
          commandOptions: storedOptions(name, flags, load.seed),
          onProgress: progress.update,
          signal,
        });
        progress.done();
        const report = outcome.reports.primary!;
        await print(renderReplaySummary(report, { color: colourEnabled(process.stdout) }));
        if (outcome.resultsDropped > 0) process.stderr.write(`reprise: ${outcome.resultsDropped} results could not be stored (the store fell behind)\n`);
        if (flags.out) await writeJson(flags.out, report);
        await writeOutputs(report, outputOptions(flags));
        process.exitCode = outcome.ok ? EXIT.ok : EXIT.thresholds;
      }),
    );
  });
}
