import { UsageError } from '../../model/errors.js';
import type { RunReport } from '../model.js';
import { discordPayload } from './discord.js';
import { postJson, type PostOptions, type PostOutcome } from './post.js';
import { slackPayload } from './slack.js';
import { summarize } from './summary.js';

/** Posting the run's summary to every --webhook when a run ends. */

export const WEBHOOK_FORMATS = ['discord', 'slack', 'json'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Chosen from the URL unless --webhook-format says; anything unknown gets plain JSON. */
export function webhookFormat(url: string, explicit?: WebhookFormat): WebhookFormat {
  if (explicit) return explicit;
  const u = new URL(url);
  if (/(^|\.)discord(app)?\.com$/.test(u.hostname) && u.pathname.startsWith('/api/webhooks/')) return 'discord';
  if (u.hostname === 'hooks.slack.com') return 'slack';
  return 'json';
}

export function parseWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`bad --webhook "${text}": give an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`bad --webhook "${text}": give an http(s) URL`);
  return url.href;
}

export function webhookBody(report: RunReport, format: WebhookFormat): unknown {
  const summary = summarize(report);
  if (format === 'discord') return discordPayload(summary);
  if (format === 'slack') return slackPayload(summary);
  return { event: 'reprise.run.finished', title: summary.title, ok: summary.ok, summary, report };
}

/** Webhook URLs carry their secret in the path: logs show the host and the first path segment only. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  const first = u.pathname.split('/').filter(Boolean)[0];
  return `${u.protocol}//${u.host}/${first ? `${first}/…` : ''}`;
}

export interface WebhookDelivery extends PostOutcome {
  url: string;
  format: WebhookFormat;
}

/**
 * Posts to all of them at once and resolves when all have delivered or given up; never rejects.
 * Each failure is one line on `log`, saying the run's result stands.
 */
export async function sendWebhooks(
  report: RunReport,
  urls: string[],
  options: PostOptions & { format?: WebhookFormat; log?: (line: string) => void } = {},
): Promise<WebhookDelivery[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return Promise.all(
    urls.map(async (url) => {
      const format = webhookFormat(url, options.format);
      const outcome = await postJson(url, webhookBody(report, format), options);
      if (!outcome.ok) log(`reprise: webhook ${redactUrl(url)} not delivered after ${outcome.attempts} attempt(s): ${outcome.error}; the run's result is unaffected`);
      return { ...outcome, url, format };
    }),
  );
}
