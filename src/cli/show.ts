import type { Command } from 'commander';
import { RepriseError } from '../model/errors.js';
import { writeRecordingJson, writeRecordingText } from '../report/recording-export.js';
import { print, storeOption, withRecording } from './common.js';

export function showCommand(program: Command): void {
  program
    .command('show')
    .description('print the sessions of a recording, with tags, value links and events in order')
    .argument('<name>', 'recording name')
    .addOption(storeOption())
    .option('--session <id>', 'only this session')
    .option('--json', 'print one JSON document (schema in the README)')
    .action(async (name: string, opts: { store: string; session?: string; json?: boolean }) => {
      await withRecording(opts.store, name, async (store) => {
        if (opts.session && !(await store.session(opts.session))) {
          throw new RepriseError('REPRISE_NO_SESSION', `recording "${name}" has no session "${opts.session}"`);
        }
        if (opts.json) {
          await writeRecordingJson(store, process.stdout, opts.session);
          return;
        }
        if ((await writeRecordingText(store, process.stdout, opts.session)) === 0) await print(`recording "${name}" has no sessions`);
      });
    });
}
