import { afterEach, describe, expect, it } from 'vitest';
import type { discordPayload } from '../../../src/report/webhook/discord.js';
import type { slackPayload } from '../../../src/report/webhook/slack.js';
import { parseWebhookUrl, redactUrl, sendWebhooks, webhookFormat } from '../../../src/report/webhook/webhooks.js';
import { compareReport, replayReport } from '../fixtures.js';
import { hugeReport } from './huge-report.js';
import { Receiver, type Shape } from './receiver.js';

describe('sendWebhooks', () => {
  const receivers: Receiver[] = [];
  const start = async (shape: Shape) => {
    const r = await Receiver.start(shape);
    receivers.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it.each(['discord', 'slack', 'json'] as const)('posts a %s body the service accepts, for replay and compare', async (shape) => {
    const receiver = await start(shape);
    for (const report of [replayReport(), compareReport(), hugeReport()]) {
      const [delivery] = await sendWebhooks(report, [receiver.url], { format: shape, log: () => undefined });
      expect(receiver.received.at(-1)!.problems).toEqual([]);
      expect(delivery).toMatchObject({ ok: true, format: shape });
    }
  });

  it('lays the summary out as Discord embeds and Slack blocks', async () => {
    const discord = await start('discord');
    const slack = await start('slack');
    await sendWebhooks(replayReport(), [discord.url], { format: 'discord' });
    await sendWebhooks(replayReport(), [slack.url], { format: 'slack' });
    const d = discord.received[0]!.body as ReturnType<typeof discordPayload>;
    expect(d.embeds[0]!.title).toMatch(/^reprise replay staging-.*: FAIL$/);
    expect(d.embeds[0]!.color).toBe(0xd83c3e);
    expect(d.embeds[0]!.fields.find((f) => f.name === 'Success rate')).toEqual({ name: 'Success rate', value: '70.8%', inline: true });
    expect(d.embeds[0]!.fields.find((f) => f.name === 'By tag')!.value).toContain('authenticated: 51.4%');
    expect(d.allowed_mentions).toEqual({ parse: [] });
    const s = slack.received[0]!.body as ReturnType<typeof slackPayload>;
    expect(s.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(s.blocks.at(-1)!.type).toBe('context');
    expect(JSON.stringify(s.blocks)).toContain('*Success rate*\\n70.8%');
    expect(s.text).toContain('FAIL');
  });

  it('never fails the run when a webhook is down: one line says so, the others still get it', async () => {
    const ok = await start('json');
    const down = await start('json');
    down.answer({ status: 503 }, { status: 503 });
    const lines: string[] = [];
    const deliveries = await sendWebhooks(replayReport(), [down.url, ok.url], { format: 'json', baseDelayMs: 1, maxAttempts: 2, log: (l) => lines.push(l) });
    expect(deliveries.map((d) => d.ok)).toEqual([false, true]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^reprise: webhook http:\/\/127\.0\.0\.1:\d+\/api\/… not delivered after 2 attempt\(s\): HTTP 503; the run's result is unaffected$/);
    expect(lines[0]).not.toContain('secret-token');
    expect((ok.received[0]!.body as { report: { runId: string } }).report.runId).toBe(replayReport().runId);
  });
});

describe('webhook options', () => {
  it('chooses the format from the URL unless told', () => {
    expect(webhookFormat('https://discord.com/api/webhooks/1/abc')).toBe('discord');
    expect(webhookFormat('https://discordapp.com/api/webhooks/1/abc')).toBe('discord');
    expect(webhookFormat('https://hooks.slack.com/services/T/B/X')).toBe('slack');
    expect(webhookFormat('https://example.test/hook')).toBe('json');
    expect(webhookFormat('https://hooks.slack.com/services/T/B/X', 'json')).toBe('json');
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => parseWebhookUrl('ftp://x/y')).toThrow(/bad --webhook/);
    expect(() => parseWebhookUrl('not a url')).toThrow(/bad --webhook/);
    expect(parseWebhookUrl('https://hooks.slack.com/services/T')).toBe('https://hooks.slack.com/services/T');
  });

  it('redacts the secret part of a webhook URL', () => {
    expect(redactUrl('https://discord.com/api/webhooks/123/tok')).toBe('https://discord.com/api/…');
    expect(redactUrl('https://hooks.slack.com/services/T/B/X')).toBe('https://hooks.slack.com/services/…');
  });
});
