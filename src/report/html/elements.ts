import { escapeHtml } from './escape.js';

/**
 * Markup built only through these helpers: a plain string is always escaped, and only what a
 * helper produced (Html) is inserted as it is. Nothing hostile can reach the page unescaped
 * without bypassing the type.
 */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type Child = Html | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | undefined>;

function renderChild(child: Child): string {
  if (child === null || child === undefined || child === false) return '';
  if (child instanceof Html) return child.markup;
  if (Array.isArray(child)) return child.map(renderChild).join('');
  return escapeHtml(String(child));
}

function renderAttrs(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input']);

export function el(tag: string, attrs: Attrs, ...children: Child[]): Html {
  const open = `<${tag}${renderAttrs(attrs)}>`;
  return new Html(VOID.has(tag) ? open : `${open}${renderChild(children)}</${tag}>`);
}

export function fragment(...children: Child[]): Html {
  return new Html(renderChild(children));
}

/** For markup this program wrote itself (styles, the chart library): never for report content. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

export interface Column<T> {
  head: string;
  cell: (row: T) => Child;
  /** Numbers align right so magnitudes compare at a glance. */
  numeric?: boolean;
}

/** A header row above the column heads, e.g. one label per target over that target's columns. */
export interface ColumnGroup {
  label: string;
  span: number;
}

export function table<T>(columns: Column<T>[], rows: T[], groups: ColumnGroup[] = []): Html {
  const cls = (c: Column<T>) => (c.numeric ? 'num' : undefined);
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      groups.length > 0 && el('tr', { class: 'groups' }, groups.map((g) => el('th', { colspan: g.span }, g.label))),
      el('tr', {}, columns.map((c) => el('th', { class: cls(c) }, c.head))),
    ),
    el('tbody', {}, rows.map((row) => el('tr', {}, columns.map((c) => el('td', { class: cls(c) }, c.cell(row)))))),
  );
}

export function section(title: string, id: string, ...children: Child[]): Html {
  return el('section', { id }, el('h2', {}, title), ...children);
}
