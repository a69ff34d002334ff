import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS, slackPayload } from '../../../src/report/webhook/slack.js';
import { summarize } from '../../../src/report/webhook/summary.js';
import { compareReport, replayReport } from '../fixtures.js';
import { hugeReport } from './huge-report.js';

describe('slackPayload', () => {
  it('lays short figures out as section fields and lists as their own sections', () => {
    const payload = slackPayload(summarize(compareReport()));
    expect(payload.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    const fields = payload.blocks.find((b) => b.type === 'section' && b.fields)!;
    expect(fields.type === 'section' && fields.fields!.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
    expect(JSON.stringify(payload.blocks)).toContain('*Top differences*');
    expect(payload.blocks.at(-1)!.type).toBe('context');
  });

  it('escapes what Slack reads as markup: no <!channel> from a recording', () => {
    const payload = slackPayload(summarize(replayReport({ failures: [{ reason: '<!channel> & <https://x|y>', count: 1 }] })));
    const text = JSON.stringify(payload);
    expect(text).not.toMatch(/<!channel>|<https/);
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://x|y&gt;');
  });

  it('stays within the block limits for a huge report', () => {
    const payload = slackPayload(summarize(hugeReport()));
    expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const header = payload.blocks[0]!;
    expect(header.type === 'header' && header.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
  });
});
