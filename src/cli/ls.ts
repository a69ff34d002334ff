import type { Command } from 'commander';
import { listRecordings } from '../store/catalog.js';
import { formatCatalog } from '../report/recording-text.js';
import { print, storeOption } from './common.js';

export function lsCommand(program: Command): void {
  program
    .command('ls')
    .description('list recordings with their times, counts and size (a recording being written shows as active)')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action(async (opts: { store: string; json?: boolean }) => {
      const entries = await listRecordings(opts.store);
      await print(opts.json ? JSON.stringify({ recordings: entries }, null, 2) : formatCatalog(entries));
    });
}
