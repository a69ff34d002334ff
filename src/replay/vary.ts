import { readFile } from 'node:fs/promises';
import { UsageError } from '../model/errors.js';
import { JsonPathError, parseJsonPath } from '../model/json-path.js';
import { parseLocation, type Location } from '../model/location.js';
import { rewriteAt, type Carrier } from './carrier.js';
import { parseCsv } from './csv.js';

/**
 * Copies of one recorded session must not collide as one user. `--vary LOCATION=TEMPLATE`
 * rewrites a value per copy (`json:$.username={{value}}-{{copy}}`); `--users FILE` gives each
 * copy a row of a CSV file (copy N takes row N mod rows). Both apply wherever the location
 * exists: HTTP requests, WebSocket handshakes and client messages; a request without that field
 * is left alone. The copy index, not the target, picks the identity, so under compare the same
 * copy is the same user on every target.
 */
export interface VaryRule {
  at: Location;
  template: string;
}

export interface UsersTable {
  columns: Location[];
  rows: string[][];
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const PLACEHOLDERS = new Set(['value', 'copy', 'session']);

export function parseVary(spec: string): VaryRule {
  const eq = splitAt(spec);
  const at = eq < 0 ? undefined : parseRuleLocation(spec.slice(0, eq));
  if (!at) throw new UsageError(`bad --vary "${spec}": use LOCATION=TEMPLATE, e.g. json:$.username={{value}}-{{copy}}`);
  const template = spec.slice(eq + 1);
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!PLACEHOLDERS.has(name!)) throw new UsageError(`bad --vary "${spec}": unknown {{${name}}} (use {{value}}, {{copy}}, {{session}})`);
  }
  return { at, template };
}

/**
 * A column named like a location (`json:$.username`, `header:x-api-key`) writes there; a plain
 * name (`username`) is the JSON field of that name at the top of a body (`json:$.username`).
 */
export async function loadUsers(path: string): Promise<UsersTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --users ${path}: ${(error as Error).message}`);
  }
  const [header, ...rows] = parseCsv(text, path);
  if (!header || rows.length === 0) throw new UsageError(`--users ${path} needs a header row and at least one user row`);
  const columns = header.map((name) => {
    const at = parseRuleLocation(name.includes(':') ? name : `json:$.${name}`);
    if (!at) throw new UsageError(`--users ${path}: column "${name}" is neither a field name nor a location`);
    return at;
  });
  const bad = rows.findIndex((r) => r.length !== columns.length);
  if (bad >= 0) throw new UsageError(`--users ${path}: row ${bad + 2} has ${rows[bad]!.length} fields, the header has ${columns.length}`);
  return { columns, rows };
}

export type IdentityRewrite = (carrier: Carrier) => void;

/** The rewrite one copy applies to everything it sends, or undefined when there is nothing to vary. */
export function identityFor(copy: number, sessionId: string, vary: readonly VaryRule[], users?: UsersTable): IdentityRewrite | undefined {
  const rules: { at: Location; value: (old: string) => string }[] = vary.map((r) => ({
    at: r.at,
    value: (old) => r.template.replace(PLACEHOLDER, (_, name: string) => (name === 'value' ? old : name === 'copy' ? String(copy) : sessionId)),
  }));
  if (users) {
    const row = users.rows[copy % users.rows.length]!;
    users.columns.forEach((at, i) => rules.push({ at, value: () => row[i]! }));
  }
  if (rules.length === 0) return undefined;
  return (carrier) => {
    for (const rule of rules) rewriteAt(carrier, rule.at, rule.value);
  };
}

function parseRuleLocation(text: string): Location | undefined {
  const at = parseLocation(text.trim());
  if (at?.in !== 'json') return at;
  try {
    parseJsonPath(at.path);
    return at;
  } catch (error) {
    if (error instanceof JsonPathError) return undefined;
    throw error;
  }
}

/** The `=` that ends the location: not one inside a JSON path's brackets. */
function splitAt(spec: string): number {
  let depth = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '=' && depth === 0) return i;
  }
  return -1;
}
