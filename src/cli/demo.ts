import type { Command } from 'commander';
import { runDemo } from '../demo/demo.js';
import { formatDemoSummary } from '../demo/summary.js';
import { print, storeOption } from './common.js';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('see the whole tool work: record synthetic users of a built-in chat service, replay them x10 at 5x speed, compare two versions, write an HTML report')
    .addOption(storeOption())
    .option('--quiet', 'print only the summary')
    .action(async (opts: { store: string; quiet?: boolean }) => {
      const started = Date.now();
      const outcome = await runDemo({ store: opts.store, quiet: opts.quiet ?? false, progressStream: process.stderr });
      await print(formatDemoSummary(outcome, Date.now() - started));
    });
}
