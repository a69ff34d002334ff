/**
 * Query parameters and path segments of a request target (`/a/b?x=1`, or absolute form). Parsed
 * by hand rather than with URL so that rewriting a parameter leaves every other byte as sent.
 */
import type { Pair } from './cookies.js';

export function queryPairs(url: string): Pair[] {
  return formPairs(splitTarget(url).query ?? '');
}

/** `a=1&b=x+y` as sent in a query or an application/x-www-form-urlencoded body. */
export function formPairs(text: string): Pair[] {
  const pairs: Pair[] = [];
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Decoded, non-empty segments of the path. */
export function pathSegments(url: string): string[] {
  return splitTarget(url)
    .path.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '')
    .split('/')
    .filter((s) => s !== '')
    .map(decode);
}

/** Replaces the values of the parameters `replace` picks; the rest of the URL is kept as is. */
export function rewriteQuery(url: string, replace: (name: string) => string | undefined): string {
  const { path, query, fragment } = splitTarget(url);
  if (query === undefined) return url;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const replacement = replace(name);
    return replacement === undefined ? part : `${eq < 0 ? part : part.slice(0, eq)}=${replacement}`;
  });
  return `${path}?${parts.join('&')}${fragment}`;
}

function splitTarget(url: string): { path: string; query: string | undefined; fragment: string } {
  const hash = url.indexOf('#');
  const fragment = hash < 0 ? '' : url.slice(hash);
  const rest = hash < 0 ? url : url.slice(0, hash);
  const q = rest.indexOf('?');
  return { path: q < 0 ? rest : rest.slice(0, q), query: q < 0 ? undefined : rest.slice(q + 1), fragment };
}

function decode(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
