import type { Command } from 'commander';
import { colourEnabled } from '../report/colour.js';
import type { RunReport } from '../report/model.js';
import { writeOutputs, type OutputOptions } from '../report/outputs.js';
import { findRun } from '../report/stored-runs.js';
import { renderCompareSummary } from '../report/compare-terminal.js';
import { renderReplaySummary } from '../report/terminal.js';
import { print, storeOption } from './common.js';
import { addOutputOptions, outputOptions } from './output-options.js';

interface ReportFlags extends OutputOptions {
  store: string;
  recording?: string;
  json?: boolean;
}

export function reportCommand(program: Command): void {
  const cmd = program
    .command('report')
    .description('render a stored run again: the terminal summary, or --json, --html FILE, --junit FILE, --webhook URL')
    .argument('<run>', 'run id (see: reprise runs)')
    .addOption(storeOption())
    .option('--recording <name>', 'the recording holding the run, needed only when its id is in several')
    .option('--json', 'print the report as JSON (the shape of --out)');
  addOutputOptions(cmd).action(async (id: string, flags: ReportFlags) => {
    const { report } = await findRun(flags.store, id, flags.recording);
    const outputs = outputOptions(flags);
    if (flags.json) await print(JSON.stringify(report, null, 2));
    else if (!outputs.html && !outputs.junit && !outputs.webhook) await print(terminal(report));
    await writeOutputs(report, outputs);
  });
}

function terminal(report: RunReport): string {
  const color = colourEnabled(process.stdout);
  return report.kind === 'replay' ? renderReplaySummary(report, { color }) : renderCompareSummary(report, { color });
}
