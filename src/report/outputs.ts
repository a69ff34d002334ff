import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../model/errors.js';
import { renderHtml } from './html/page.js';
import { renderJunit } from './junit.js';
import type { RunReport } from './model.js';
import type { PostOptions } from './webhook/post.js';
import { sendWebhooks, type WebhookDelivery, type WebhookFormat } from './webhook/webhooks.js';

/**
 * Everything a finished run hands its report to besides the terminal: the HTML and JUnit files
 * and the webhooks. One call at the end of replay, compare and `reprise report`.
 */
export interface OutputOptions {
  html?: string;
  junit?: string;
  webhook?: string[];
  webhookFormat?: WebhookFormat;
  quiet?: boolean;
}

export interface OutputsWritten {
  /** Absolute paths, by kind. */
  files: { kind: 'html' | 'junit'; path: string }[];
  webhooks: WebhookDelivery[];
}

/**
 * Writes every file it can and posts every webhook even when one file fails, then throws one
 * UsageError naming the files it could not write. A webhook never throws (see sendWebhooks).
 */
export async function writeOutputs(
  report: RunReport,
  options: OutputOptions,
  io: { log?: (line: string) => void; webhook?: PostOptions } = {},
): Promise<OutputsWritten> {
  const log = io.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const jobs: { kind: 'html' | 'junit'; file: string; render: () => Promise<string> | string }[] = [];
  if (options.html) jobs.push({ kind: 'html', file: options.html, render: () => renderHtml(report) });
  if (options.junit) jobs.push({ kind: 'junit', file: options.junit, render: () => renderJunit(report) });
  const files: OutputsWritten['files'] = [];
  const failed: string[] = [];
  for (const job of jobs) {
    const path = resolve(job.file);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await job.render());
      files.push({ kind: job.kind, path });
      if (!options.quiet) log(`${job.kind === 'html' ? 'HTML report' : 'JUnit report'}: ${path}`);
    } catch (error) {
      failed.push(`--${job.kind} ${job.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const webhooks = options.webhook?.length
    ? await sendWebhooks(report, options.webhook, { ...io.webhook, log, ...(options.webhookFormat && { format: options.webhookFormat }) })
    : [];
  if (failed.length > 0) throw new UsageError(`cannot write ${failed.join('; ')}`);
  return { files, webhooks };
}
