import { RepriseError, UsageError } from '../model/errors.js';

/** Exit codes, in one place. */
export const EXIT = {
  ok: 0,
  /** compare --fail-on saw a difference at that level. */
  differences: 1,
  usage: 2,
  /** A user-facing failure: unknown recording, corrupt store, unreachable target. */
  failure: 2,
  /** A --threshold or --expect-fifo check failed. */
  thresholds: 99,
  internal: 70,
} as const;

/** Prints one line for a failure a user can cause and returns the exit code; a bug keeps its stack. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof RepriseError) {
    stderr.write(`reprise: ${error.message}\n`);
    return error instanceof UsageError ? EXIT.usage : EXIT.failure;
  }
  const code = (error as { code?: string })?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) return EXIT.usage;
  stderr.write(`reprise: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.internal;
}
