#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';
import { reportError } from './exit.js';

const program = new Command('reprise')
  .description('Record real HTTP + WebSocket user sessions, replay them at scale, diff two backends.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

for (const add of commands) add(program);

// A reader that leaves early (`reprise show NAME | head`) is no failure: writes see it and stop
// (see writeText), and a recorder goes on recording.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) {
    process.exitCode = 0;
  } else {
    process.exitCode = reportError(error);
  }
}
