import { writeFile } from 'node:fs/promises';
import { UsageError } from '../model/errors.js';
import type { ReplayProgress } from '../replay/run-replay.js';
import type { OutputOptions } from '../report/outputs.js';
import { createProgress, type Progress } from '../report/progress.js';

/** Steps the commands that run sessions (replay, compare) share. */

/** The progress display is made once the plan's size is known (the first report). */
export function progressHook(label: string, quiet: boolean): { update: (p: ReplayProgress) => void; done: () => void } {
  let progress: Progress | undefined;
  return {
    update: (p) => {
      progress ??= createProgress({ label, total: p.planned, quiet });
      progress.update(p);
    },
    done: () => progress?.done(),
  };
}

/** The first Ctrl-C stops starting sessions and lets the run finish its report. */
export async function untilInterrupted<T>(step: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  try {
    return await step(abort.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write --out ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * The flags kept with the run, to read later what was asked: the load shape and checks, with the
 * seed actually used. Output flags stay out (a webhook URL is a secret).
 */
export function storedOptions(name: string, flags: OutputOptions & object, seed: number | undefined): Record<string, unknown> {
  const { html: _html, junit: _junit, webhook: _webhook, webhookFormat: _format, quiet: _quiet, ...kept } = flags;
  return { name, ...kept, ...(seed !== undefined && { seed }) };
}
