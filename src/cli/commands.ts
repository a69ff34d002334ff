import type { Command } from 'commander';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { lsCommand } from './ls.js';
import { recordCommand } from './record.js';
import { replayCommand } from './replay.js';
import { reportCommand } from './report.js';
import { runsCommand } from './runs.js';
import { showCommand } from './show.js';

/** Every subcommand, in the order `reprise --help` lists them. */
export const commands: ((program: Command) => void)[] = [demoCommand, recordCommand, lsCommand, showCommand, replayCommand, compareCommand, runsCommand, reportCommand];
