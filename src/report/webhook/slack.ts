import { cut } from './discord.js';
import type { RunSummary } from './summary.js';

/**
 * A Slack incoming-webhook body: Block Kit `blocks[]` (a header, sections with mrkdwn text and
 * fields, a context line) and the plain `text` Slack shows in notifications and where blocks
 * cannot be shown. Kept within Block Kit's documented limits.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
} as const;

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText & { type: 'plain_text' } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export function slackPayload(summary: RunSummary): SlackPayload {
  const L = SLACK_LIMITS;
  const mrkdwn = (text: string, limit: number): SlackText => ({ type: 'mrkdwn', text: cut(text, limit) });
  const short = summary.fields.filter((f) => f.inline);
  const long = summary.fields.filter((f) => !f.inline);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(summary.title, L.headerText), emoji: true } },
    { type: 'section', text: mrkdwn(`${summary.ok ? ':white_check_mark:' : ':x:'} ${summary.lines.map(escapeSlack).join('\n')}`, L.sectionText) },
  ];
  for (let i = 0; i < short.length; i += L.sectionFields) {
    blocks.push({ type: 'section', fields: short.slice(i, i + L.sectionFields).map((f) => mrkdwn(`*${escapeSlack(f.name)}*\n${escapeSlack(f.value)}`, L.fieldText)) });
  }
  for (const f of long) blocks.push({ type: 'section', text: mrkdwn(`*${escapeSlack(f.name)}*\n${escapeSlack(f.value)}`, L.sectionText) });
  blocks.splice(L.blocks - 1);
  blocks.push({ type: 'context', elements: [mrkdwn(escapeSlack(summary.footer), L.sectionText)] });
  return { text: cut(escapeSlack(`${summary.title}. ${summary.lines.join(' ')}`), L.sectionText), blocks };
}

/** Slack's mrkdwn reads &, < and > as markup (`<!channel>` would notify everyone). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
