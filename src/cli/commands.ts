import type { Command } from 'commander';

/** Every subcommand, in the order `reprise --help` lists them. */
export const commands: ((program: Command) => void)[] = [];
