/**
 * Cookie and Set-Cookie values, read for stitching and rewritten for redaction. Rewriting keeps
 * every byte it does not replace, so a redacted recording still replays the headers it saw.
 */
export type Pair = [name: string, value: string];

/** `a=1; sid="xyz"` -> [['a', '1'], ['sid', 'xyz']] (quotes around a value dropped). */
export function cookiePairs(header: string): Pair[] {
  const pairs: Pair[] = [];
  for (const part of header.split(';')) {
    const pair = splitPair(part);
    if (pair) pairs.push(pair);
  }
  return pairs;
}

/** The name and value of a Set-Cookie header (its attributes are not cookies). */
export function setCookiePair(header: string): Pair | undefined {
  return splitPair(header.split(';', 1)[0]!);
}

/** Replaces the values of the cookies `replace` picks (it returns the new value, or undefined). */
export function rewriteCookieHeader(header: string, replace: (name: string) => string | undefined): string {
  return header
    .split(';')
    .map((part) => rewritePart(part, replace))
    .join(';');
}

export function rewriteSetCookie(header: string, replace: (name: string) => string | undefined): string {
  const end = header.indexOf(';');
  return end < 0 ? rewritePart(header, replace) : rewritePart(header.slice(0, end), replace) + header.slice(end);
}

function splitPair(part: string): Pair | undefined {
  const eq = part.indexOf('=');
  if (eq < 0) return undefined;
  const name = part.slice(0, eq).trim();
  const value = unquote(part.slice(eq + 1).trim());
  return name ? [name, value] : undefined;
}

function rewritePart(part: string, replace: (name: string) => string | undefined): string {
  const eq = part.indexOf('=');
  if (eq < 0) return part;
  const replacement = replace(part.slice(0, eq).trim());
  return replacement === undefined ? part : `${part.slice(0, eq + 1)}${replacement}`;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
