import type { Command } from 'commander';
import { formatRuns, listRuns } from '../report/stored-runs.js';
import { print, storeOption } from './common.js';

export function runsCommand(program: Command): void {
  program
    .command('runs')
    .description('list the stored replay and compare runs (of one recording, or of all)')
    .argument('[name]', 'recording name')
    .addOption(storeOption())
    .option('--json', 'print JSON: {runs: [{id, kind, recording, startedAt, targets, ok}]}')
    .action(async (name: string | undefined, opts: { store: string; json?: boolean }) => {
      const runs = await listRuns(opts.store, name);
      await print(opts.json ? JSON.stringify({ runs }, null, 2) : formatRuns(runs));
    });
}
