import { createHash } from 'node:crypto';
import { elapsed } from '../figures.js';
import type { CompareReport, ReplayReport, RunReport } from '../model.js';
import { chartLibrary } from './assets.js';
import { chartSpecs, type ChartSpec, type Side } from './charts.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { differencesSection, differenceTiles, targetsSection } from './differences.js';
import { el, fragment, trusted, type Html } from './elements.js';
import { jsonForScript } from './escape.js';
import { checksSection, chartsSection, endpointsSection, failuresSection, stagesSection, summaryTiles, tagsSection } from './sections.js';
import { STYLES } from './styles.js';
import { verdict } from './widgets.js';

/**
 * One self-contained HTML file per run. The Content-Security-Policy allows exactly the page's own
 * script and style (by hash) and nothing remote, so even content that escaped escaping could not
 * run or fetch.
 */
export async function renderHtml(report: RunReport): Promise<string> {
  const sides = sidesOf(report);
  const charts = chartSpecs(sides);
  const lib = await chartLibrary();
  const script = `${lib.script}\n${CLIENT_SCRIPT}`;
  const styles = `${lib.styles}\n${STYLES}`;
  const title = `reprise ${report.kind} · ${report.recording}`;
  const head = el(
    'head',
    {},
    trusted('<meta charset="utf-8">'),
    el('meta', { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(script, styles) }),
    el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    el('meta', { name: 'referrer', content: 'no-referrer' }),
    el('title', {}, title),
    el('style', {}, trusted(styles)),
  );
  const body = el(
    'body',
    {},
    el('main', {}, header(report), report.kind === 'replay' ? replayBody(report, sides, charts) : compareBody(report, sides, charts), footer(report)),
    el('script', { type: 'application/json', id: 'reprise-data' }, trusted(jsonForScript({ charts }))),
    el('script', {}, trusted(script)),
  );
  return `<!doctype html>\n${el('html', { lang: 'en' }, head, body)}\n`;
}

export function sidesOf(report: RunReport): Side[] {
  if (report.kind === 'replay') return [{ role: 'target', report }];
  const { primary, candidate, secondary } = report.targets;
  return [
    { role: 'primary', report: primary },
    { role: 'candidate', report: candidate },
    ...(secondary ? [{ role: 'secondary', report: secondary }] : []),
  ];
}

function contentSecurityPolicy(script: string, styles: string): string {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  return [`default-src 'none'`, `script-src ${hash(script)}`, `style-src ${hash(styles)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

function header(report: RunReport): Html {
  const targets = sidesOf(report).map((s) => (report.kind === 'replay' ? s.report.target : `${s.role} ${s.report.target}`));
  const meta = (label: string, value: string) => el('span', {}, `${label} `, el('b', {}, value));
  return el(
    'header',
    { class: 'report' },
    el('h1', {}, report.kind === 'replay' ? 'Replay report' : 'Compare report'),
    verdict(report.ok),
    el(
      'div',
      { class: 'meta' },
      meta('recording', report.recording),
      meta(report.kind === 'replay' ? 'target' : 'targets', targets.join(' · ')),
      meta('started', report.startedAt),
      meta('took', elapsed(report.durationMs)),
      meta('run', report.runId),
    ),
  );
}

function replayBody(report: ReplayReport, sides: Side[], charts: ChartSpec[]): Html {
  return fragment(
    summaryTiles(report),
    chartsSection(charts),
    stagesSection(sides),
    tagsSection(sides),
    endpointsSection(sides),
    checksSection(report.thresholds, sides),
    failuresSection(sides),
  );
}

function compareBody(report: CompareReport, sides: Side[], charts: ChartSpec[]): Html {
  return fragment(
    differenceTiles(report),
    sides.map((s) => fragment(el('div', { class: 'tiles-role' }, `${s.role} · ${s.report.target}`), summaryTiles(s.report))),
    targetsSection(sides),
    chartsSection(charts),
    stagesSection(sides),
    tagsSection(sides),
    endpointsSection(sides),
    differencesSection(report),
    checksSection(report.thresholds, sides),
    failuresSection(sides),
  );
}

function footer(report: RunReport): Html {
  return el('footer', {}, `reprise · ${report.kind} run ${report.runId} · re-render with: reprise report ${report.runId} --html FILE`);
}
