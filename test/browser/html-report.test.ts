import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/page.js';
import type { RunReport } from '../../src/report/model.js';
import { compareReport, replayReport, XSS } from '../report/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const available = existsSync(CHROMIUM);
if (!available && process.env.CI !== 'true') {
  console.warn(`skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);
}

/** The little of the DOM these checks touch, typed here: the project's TypeScript has no DOM library. */
interface PageGlobals {
  document: {
    documentElement: { getAttribute(name: string): string | null };
    querySelectorAll(selector: string): ArrayLike<{ width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }>;
  };
  __xss?: unknown;
}

interface Visit {
  page: Page;
  problems: string[];
  dialogs: string[];
  requests: string[];
}

describe.skipIf(!available && process.env.CI !== 'true')('HTML report in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reprise-html-'));
    await mkdir(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1360, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function visit(report: RunReport, name: string): Promise<Visit> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, await renderHtml(report));
    const page = await context.newPage();
    const visit: Visit = { page, problems: [], dialogs: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') visit.problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => visit.problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => visit.problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => visit.requests.push(r.url()));
    page.on('dialog', (d) => {
      visit.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.documentElement.getAttribute('data-charts') === '3');
    await page.screenshot({ path: join(ARTIFACTS, `html-report-${name}.png`), fullPage: true });
    return visit;
  }

  /** Pixels of a series' colour on each chart's canvas: the lines were drawn, not just the axes. */
  function seriesPixels(page: Page, rgb: [number, number, number]): Promise<number[]> {
    return page.evaluate((want) => {
      const { document } = globalThis as unknown as PageGlobals;
      return Array.from(document.querySelectorAll('.chart-host canvas')).map((canvas) => {
        const ctx = canvas.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (Math.abs(data[i]! - want[0]) < 8 && Math.abs(data[i + 1]! - want[1]) < 8 && Math.abs(data[i + 2]! - want[2]) < 8 && data[i + 3]! > 200) n++;
        }
        return n;
      });
    }, rgb);
  }

  async function expectInert(v: Visit): Promise<void> {
    expect(await v.page.evaluate(() => (globalThis as unknown as PageGlobals).__xss)).toBeUndefined();
    expect(v.dialogs).toEqual([]);
    expect(await v.page.locator('main img, main svg[onload], main script').count()).toBe(0);
  }

  it('renders a replay report offline: no errors, no requests, charts with data, payloads inert', async () => {
    const v = await visit(replayReport(), 'replay');
    expect(v.problems).toEqual([]);
    expect(v.requests.every((url) => url.startsWith('file://'))).toBe(true);
    expect(v.requests).toHaveLength(1);
    const pixels = await seriesPixels(v.page, [0x25, 0x63, 0xeb]);
    expect(pixels).toHaveLength(3);
    for (const n of pixels) expect(n).toBeGreaterThan(50);
    await expectInert(v);
    await expect(v.page.getByText(XSS.script, { exact: false }).count()).resolves.toBeGreaterThan(0);
    expect(await v.page.locator('#routes').getByText(`GET /search?q=${XSS.attribute}`).count()).toBe(1);
    await v.page.close();
  });

  it('renders a compare report with both targets charted and sample pairs shown as text', async () => {
    const v = await visit(compareReport(), 'compare');
    expect(v.problems).toEqual([]);
    expect(v.requests).toHaveLength(1);
    for (const n of await seriesPixels(v.page, [0x25, 0x63, 0xeb])) expect(n).toBeGreaterThan(50);
    for (const n of await seriesPixels(v.page, [0xd9, 0x77, 0x06])) expect(n).toBeGreaterThan(50);
    const field = v.page.locator('details.field', { hasText: 'ws.message[type=reply].text' });
    await field.locator('summary').click();
    await expect(field.locator('pre').first().textContent()).resolves.toContain('echo: <script>window.__xss');
    await expectInert(v);
    await v.page.screenshot({ path: join(ARTIFACTS, 'html-report-compare-open.png'), fullPage: true });
    await v.page.close();
  });
});
