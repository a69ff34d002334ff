import type { RunSummary } from './summary.js';

/**
 * Discord's execute-webhook body: `content` plus `embeds[]` with title, description, fields
 * [{name, value, inline}], color and footer, kept within Discord's documented limits (a longer
 * text is cut, never rejected). Mentions are disabled: recorded text saying @everyone pings nobody.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** All embed text together. */
  total: 6000,
} as const;

const GREEN = 0x2e9d5b;
const RED = 0xd83c3e;

export interface DiscordPayload {
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: never[] };
}

export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
}

export function discordPayload(summary: RunSummary): DiscordPayload {
  const L = DISCORD_LIMITS;
  const embed: DiscordEmbed = {
    title: cut(summary.title, L.title),
    description: cut(summary.lines.map(escapeMarkdown).join('\n'), L.description),
    color: summary.ok ? GREEN : RED,
    fields: [],
    footer: { text: cut(summary.footer, L.footer) },
  };
  let used = embed.title.length + embed.description.length + embed.footer.text.length;
  for (const f of summary.fields.slice(0, L.fields)) {
    const field = { name: cut(f.name, L.fieldName), value: cut(escapeMarkdown(f.value), L.fieldValue) || '–', inline: f.inline };
    if (used + field.name.length + field.value.length > L.total) break;
    used += field.name.length + field.value.length;
    embed.fields.push(field);
  }
  return { content: cut(summary.title, L.content), embeds: [embed], allowed_mentions: { parse: [] } };
}

/** Recorded text (routes, failure reasons) must not turn into formatting. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|>#[\]()-]/g, (c) => `\\${c}`);
}

/** Cut to a limit counted in UTF-16 units, as Discord counts, with an ellipsis. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return `${text.slice(0, end)}…`;
}
