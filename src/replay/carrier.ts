import type { RawHeaders } from '../model/headers.js';
import { parseJsonPath, queryJson, updateJson } from '../model/json-path.js';
import type { Location } from '../model/location.js';

/**
 * What a Location points into: a request about to be sent (url, headers, body), a WebSocket
 * handshake (url, headers), a client message (body), or a replayed response (headers, body).
 * `cookie:` means the Cookie header on the request side and Set-Cookie on the response side.
 * Writes change the carrier in place; bodies stay bytes and are only re-encoded where a
 * --vary or --users rule rewrites a JSON field.
 */
export interface Carrier {
  side: 'request' | 'response';
  url?: string;
  headers?: RawHeaders;
  body?: Uint8Array;
}

/** The value at a location, or undefined when the carrier has no such field. */
export function readAt(c: Carrier, loc: Location): string | undefined {
  switch (loc.in) {
    case 'header':
      return c.headers?.find(([n]) => n.toLowerCase() === loc.name)?.[1];
    case 'cookie':
      return cookiesOf(c).find((k) => k.name === loc.name)?.value;
    case 'query':
      return queryParams(c.url).find((p) => p.name === loc.name)?.value;
    case 'path':
      return c.url === undefined ? undefined : pathPart(c.url);
    case 'json': {
      const value = jsonValues(c, loc.path)[0];
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    }
    case 'body':
      return c.body === undefined ? undefined : Buffer.from(c.body).toString('utf8');
  }
}

/** Replaces every occurrence of `from` inside the value at `loc`; false when it was not there. */
export function replaceAt(c: Carrier, loc: Location, from: string, to: string): boolean {
  if (from === '') return false;
  switch (loc.in) {
    case 'header':
    case 'cookie':
    case 'query':
    case 'path':
      return rewriteAt(c, loc, (old) => (old.includes(from) ? old.split(from).join(to) : undefined));
    case 'json': {
      // Raw replacement of the JSON-escaped text keeps the body's bytes and formatting.
      if (!jsonValues(c, loc.path).some((v) => typeof v === 'string' && v.includes(from))) return false;
      return replaceBytes(c, escapeJson(from), escapeJson(to));
    }
    case 'body':
      return replaceBytes(c, from, to);
  }
}

/**
 * Sets the value at `loc` to what `update` returns for the old one (undefined: leave it).
 * JSON fields are rewritten through a parse, so the body is re-serialised compactly.
 */
export function rewriteAt(c: Carrier, loc: Location, update: (old: string) => string | undefined): boolean {
  switch (loc.in) {
    case 'header':
      return rewriteHeaders(c, (name) => name.toLowerCase() === loc.name, update);
    case 'cookie':
      return c.side === 'request' ? rewriteCookieHeader(c, loc.name, update) : false;
    case 'query':
      return rewriteQuery(c, loc.name, update);
    case 'path': {
      if (c.url === undefined) return false;
      const path = pathPart(c.url);
      const next = update(path);
      if (next === undefined || next === path) return next !== undefined;
      c.url = next + c.url.slice(path.length);
      return true;
    }
    case 'json':
      return rewriteJson(c, loc.path, update);
    case 'body': {
      if (c.body === undefined) return false;
      const next = update(Buffer.from(c.body).toString('utf8'));
      if (next === undefined) return false;
      c.body = Buffer.from(next);
      return true;
    }
  }
}

export interface Cookie {
  name: string;
  value: string;
}

/** Cookies the request sends, or the ones the response sets (name=value before the first `;`). */
export function cookiesOf(c: Carrier): Cookie[] {
  const out: Cookie[] = [];
  for (const [name, value] of c.headers ?? []) {
    const lower = name.toLowerCase();
    if (c.side === 'request' && lower === 'cookie') out.push(...parseCookiePairs(value));
    else if (c.side === 'response' && lower === 'set-cookie') {
      const pair = parseCookiePairs(value.split(';', 1)[0]!)[0];
      if (pair) out.push(pair);
    }
  }
  return out;
}

function parseCookiePairs(header: string): Cookie[] {
  const out: Cookie[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return out;
}

function rewriteHeaders(c: Carrier, match: (name: string) => boolean, update: (old: string) => string | undefined): boolean {
  let found = false;
  for (const pair of c.headers ?? []) {
    if (!match(pair[0])) continue;
    const next = update(pair[1]);
    if (next === undefined) continue;
    pair[1] = next;
    found = true;
  }
  return found;
}

function rewriteCookieHeader(c: Carrier, cookie: string, update: (old: string) => string | undefined): boolean {
  let found = false;
  rewriteHeaders(
    c,
    (name) => name.toLowerCase() === 'cookie',
    (header) => {
      const parts = header.split(';').map((part) => {
        const eq = part.indexOf('=');
        if (eq <= 0 || part.slice(0, eq).trim() !== cookie) return part;
        const next = update(part.slice(eq + 1).trim());
        if (next === undefined) return part;
        found = true;
        return `${part.slice(0, eq + 1)}${next}`;
      });
      return found ? parts.join(';') : undefined;
    },
  );
  return found;
}

interface QueryParam {
  name: string;
  value: string;
}

function splitUrl(url: string): { path: string; query: string; hash: string } {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const q = beforeHash.indexOf('?');
  return q < 0 ? { path: beforeHash, query: '', hash } : { path: beforeHash.slice(0, q), query: beforeHash.slice(q + 1), hash };
}

function pathPart(url: string): string {
  return splitUrl(url).path;
}

function queryParams(url: string | undefined): QueryParam[] {
  if (url === undefined) return [];
  const { query } = splitUrl(url);
  if (query === '') return [];
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? { name: decode(pair), value: '' } : { name: decode(pair.slice(0, eq)), value: decode(pair.slice(eq + 1)) };
  });
}

function rewriteQuery(c: Carrier, name: string, update: (old: string) => string | undefined): boolean {
  if (c.url === undefined) return false;
  const { path, query, hash } = splitUrl(c.url);
  if (query === '') return false;
  let found = false;
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0 || decode(pair.slice(0, eq)) !== name) return pair;
    const next = update(decode(pair.slice(eq + 1)));
    if (next === undefined) return pair;
    found = true;
    return `${pair.slice(0, eq)}=${encodeURIComponent(next)}`;
  });
  if (found) c.url = `${path}?${pairs.join('&')}${hash}`;
  return found;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function parseBodyJson(c: Carrier): { ok: true; value: unknown } | { ok: false } {
  if (c.body === undefined || c.body.byteLength === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(Buffer.from(c.body).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function jsonValues(c: Carrier, path: string): unknown[] {
  const parsed = parseBodyJson(c);
  return parsed.ok ? queryJson(parsed.value, parseJsonPath(path)) : [];
}

function rewriteJson(c: Carrier, path: string, update: (old: string) => string | undefined): boolean {
  const parsed = parseBodyJson(c);
  if (!parsed.ok) return false;
  let changed = false;
  updateJson(parsed.value, parseJsonPath(path), (old) => {
    const next = update(typeof old === 'string' ? old : JSON.stringify(old));
    if (next === undefined) return old;
    changed = true;
    return next;
  });
  if (changed) c.body = Buffer.from(JSON.stringify(parsed.value));
  return changed;
}

function escapeJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Byte-level replace-all, so binary bodies survive and text bodies keep their bytes. */
function replaceBytes(c: Carrier, from: string, to: string): boolean {
  if (c.body === undefined) return false;
  const body = Buffer.from(c.body.buffer, c.body.byteOffset, c.body.byteLength);
  const needle = Buffer.from(from);
  let at = body.indexOf(needle);
  if (at < 0) return false;
  const replacement = Buffer.from(to);
  const parts: Buffer[] = [];
  let last = 0;
  while (at >= 0) {
    parts.push(body.subarray(last, at), replacement);
    last = at + needle.length;
    at = body.indexOf(needle, last);
  }
  parts.push(body.subarray(last));
  c.body = Buffer.concat(parts);
  return true;
}

/** Where inside the carrier `value` appears verbatim, if anywhere (for the unreplaced-values count). */
export function findVerbatim(c: Carrier, value: string): string | undefined {
  if (c.url?.includes(value) || (c.url !== undefined && c.url.includes(encodeURIComponent(value)))) return 'url';
  for (const [name, v] of c.headers ?? []) if (v.includes(value)) return `header:${name.toLowerCase()}`;
  if (c.body !== undefined && Buffer.from(c.body.buffer, c.body.byteOffset, c.body.byteLength).includes(value)) return 'body';
  return undefined;
}
