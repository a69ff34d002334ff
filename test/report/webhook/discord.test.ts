import { describe, expect, it } from 'vitest';
import { cut, DISCORD_LIMITS, discordPayload } from '../../../src/report/webhook/discord.js';
import { summarize } from '../../../src/report/webhook/summary.js';
import { replayReport } from '../fixtures.js';
import { hugeReport } from './huge-report.js';

describe('discordPayload', () => {
  it('cuts to the embed limits instead of being rejected', () => {
    const embed = discordPayload(summarize(hugeReport())).embeds[0]!;
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.title.endsWith('…')).toBe(true);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    const total = embed.title.length + embed.description.length + embed.footer.text.length + embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  });

  it('keeps recorded text from formatting or pinging anyone', () => {
    const payload = discordPayload(summarize(replayReport({ failures: [{ reason: '@everyone **bold** `code`', count: 1 }] })));
    const field = payload.embeds[0]!.fields.find((f) => f.name === 'Top failures')!;
    expect(field.value).toBe('1 × @everyone \\*\\*bold\\*\\* \\`code\\`');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('colours the verdict', () => {
    expect(discordPayload(summarize(replayReport({ ok: true }))).embeds[0]!.color).toBe(0x2e9d5b);
    expect(discordPayload(summarize(replayReport({ ok: false }))).embeds[0]!.color).toBe(0xd83c3e);
  });
});

describe('cut', () => {
  it('never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 4)).toBe('ab…');
    expect(cut('abc', 3)).toBe('abc');
  });
});
