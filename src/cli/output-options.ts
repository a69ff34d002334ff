import { Option, type Command } from 'commander';
import type { OutputOptions } from '../report/outputs.js';
import { parseWebhookUrl, WEBHOOK_FORMATS } from '../report/webhook/webhooks.js';

/** The output flags replay, compare and report share: --html, --junit, --webhook, --webhook-format, --quiet. */
export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--html <file>', 'write a self-contained HTML report (charts, tables, differences) to FILE')
    .option('--junit <file>', 'write thresholds, the FIFO check and per-route success as JUnit XML to FILE')
    .addOption(
      new Option('--webhook <url>', 'post the summary here when the run ends (repeatable; Discord and Slack URLs are recognised)')
        .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), parseWebhookUrl(value)]),
    )
    .addOption(new Option('--webhook-format <format>', 'payload for every --webhook, instead of guessing from the URL').choices(WEBHOOK_FORMATS))
    .option('--quiet', 'no progress and no notes on stderr; the summary and errors still print');
}

/** The parsed flags, as writeOutputs takes them. */
export function outputOptions(opts: OutputOptions): OutputOptions {
  return {
    ...(opts.html && { html: opts.html }),
    ...(opts.junit && { junit: opts.junit }),
    ...(opts.webhook && { webhook: opts.webhook }),
    ...(opts.webhookFormat && { webhookFormat: opts.webhookFormat }),
    ...(opts.quiet && { quiet: true }),
  };
}
