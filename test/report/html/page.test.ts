import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html/page.js';
import { compareReport, replayReport, XSS } from '../fixtures.js';

function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
}

describe('renderHtml', () => {
  it('is self-contained: the chart library inline, nothing loaded from elsewhere', async () => {
    const html = await renderHtml(replayReport());
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('lets only its own script and style run, by hash, with no remote source', async () => {
    const html = await renderHtml(compareReport());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const code = scripts(html).filter((s) => !s.attrs.includes('application/json'));
    expect(code).toHaveLength(1);
    const hash = createHash('sha256').update(code[0]!.body).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it('shows every hostile string as text and embeds chart data that parses back', async () => {
    const html = await renderHtml(compareReport());
    const blocks = scripts(html);
    expect(blocks).toHaveLength(2);
    for (const payload of [XSS.script, XSS.attribute, XSS.svg, XSS.closeScript]) expect(html).not.toContain(payload);
    expect(html).toContain('&lt;svg onload=window.__xss=&#39;svg&#39;&gt;');
    expect(html).not.toMatch(/<img|<svg onload/i);
    const data = JSON.parse(blocks.find((b) => b.attrs.includes('application/json'))!.body);
    expect(data.charts.map((c: { id: string }) => c.id)).toEqual(['chart-latency', 'chart-throughput', 'chart-sessions']);
  });

  it('shows what a replay concluded: verdict, tiles, stages, tags, routes, checks, failures', async () => {
    const report = replayReport();
    const html = await renderHtml(report);
    expect(html).toContain('<span class="verdict fail">FAIL</span>');
    for (const label of ['Sessions', 'Success rate', 'Latency p95', 'Unreplaced values', 'Missed starts', 'Thresholds']) expect(html).toContain(`<div class="label">${label}</div>`);
    expect(html).toContain('70.8%');
    for (const id of ['charts', 'stages', 'tags', 'routes', 'checks', 'failures']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<code>50/1s*500</code>');
    expect(html).toContain("Kendall&#39;s tau");
    expect(html).toContain('p99{tag:authenticated}&lt;800');
  });

  it('shows both targets side by side and the difference tree of a compare', async () => {
    const html = await renderHtml(compareReport());
    expect(html).toContain('<th colspan="5">primary</th>');
    expect(html).toContain('primary · http://127.0.0.1:8081');
    expect(html).toContain('<section id="differences">');
    expect(html.indexOf('body.user.created_at')).toBeLessThan(html.indexOf('ws.message[type=reply].text'));
    expect(html).toContain('<span class="badge high">high</span>');
    expect(html).toContain('(absent)');
    // a type change reads as one: the string quoted, the number not
    expect(html).toContain('<pre>&quot;u_3f2a9b1c0d4e&quot;</pre>');
    expect(html).toContain('<pre>314159</pre>');
    expect(html).toContain('timestamp');
  });
});
