import { grade, millis, percent } from '../figures.js';
import type { LatencySummary, Risk } from '../model.js';
import { el, type Child, type Column, type Html } from './elements.js';

/** The small pieces every section is made of. */

export interface Tile {
  label: string;
  value: string;
  detail?: string;
  tone?: 'good' | 'warn' | 'bad';
}

export function tiles(items: Tile[]): Html {
  return el(
    'div',
    { class: 'tiles' },
    items.map((t) =>
      el('div', { class: `tile ${t.tone ?? ''}`.trim() }, el('div', { class: 'label' }, t.label), el('div', { class: 'value' }, t.value), t.detail && el('div', { class: 'detail' }, t.detail)),
    ),
  );
}

/** A success rate as text and a bar; the bar's width is an SVG attribute, which the page's CSP allows. */
export function rate(value: number, bar = true): Html {
  const g = grade(value);
  if (!bar) return el('span', { class: `${g}-text` }, percent(value));
  const width = Number.isFinite(value) ? Math.max(0, Math.min(100, value * 100)).toFixed(1) : '0';
  return el(
    'span',
    { class: 'rate' },
    el('span', { class: `${g}-text` }, percent(value)),
    el('svg', { class: 'bar', viewBox: '0 0 100 8', preserveAspectRatio: 'none', 'aria-hidden': 'true' }, el('rect', { class: g, width, height: 8 })),
  );
}

export function verdict(ok: boolean): Html {
  return el('span', { class: `verdict ${ok ? 'pass' : 'fail'}` }, ok ? 'PASS' : 'FAIL');
}

export function badge(text: string, tone: Risk | 'pass' | 'fail' | 'noise'): Html {
  return el('span', { class: `badge ${tone}` }, text);
}

export function code(text: string): Html {
  return el('code', {}, text);
}

export function latencyColumns<T>(pick: (row: T) => LatencySummary, prefix = ''): Column<T>[] {
  return (['p50', 'p95', 'p99'] as const).map((p) => ({ head: `${prefix}${p}`, numeric: true, cell: (row: T): Child => millis(pick(row)[p]) }));
}

export function empty(text: string): Html {
  return el('p', { class: 'empty' }, text);
}
