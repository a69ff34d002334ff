import { UsageError } from '../model/errors.js';
import { headerValue, headerValues, type RawHeaders } from '../model/headers.js';
import { cookiePairs } from './cookies.js';
import { jwtClaims } from './identifiers.js';
import { queryPairs } from './url-parts.js';

/**
 * `--session-key SPEC`: a value the user names as the session's identity. Requests (and
 * handshakes) with the same value belong to the same session, whatever else they share.
 */
export interface SessionKey {
  spec: string;
  value: string;
}

type Reader = (url: string, headers: RawHeaders) => string | undefined;

export class SessionKeys {
  private readonly readers: { spec: string; read: Reader }[];

  constructor(specs: readonly string[]) {
    this.readers = specs.map((spec) => ({ spec, read: parseSpec(spec) }));
  }

  get size(): number {
    return this.readers.length;
  }

  /** The first spec that finds a non-empty value wins. */
  of(url: string, headers: RawHeaders): SessionKey | undefined {
    for (const { spec, read } of this.readers) {
      const value = read(url, headers);
      if (value) return { spec, value };
    }
    return undefined;
  }
}

function parseSpec(spec: string): Reader {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const name = spec.slice(colon + 1);
  if (colon > 0 && name) {
    switch (kind) {
      case 'cookie':
        return (_url, headers) => cookie(headers, name);
      case 'header':
        return (_url, headers) => headerValue(headers, name);
      case 'query':
        return (url) => queryPairs(url).find(([n]) => n === name)?.[1];
      case 'jwt':
        return (url, headers) => claim(url, headers, name);
    }
  }
  throw new UsageError(`bad --session-key "${spec}": use cookie:NAME, header:NAME, query:NAME or jwt:CLAIM (e.g. jwt:sub)`);
}

function cookie(headers: RawHeaders, name: string): string | undefined {
  for (const header of headerValues(headers, 'cookie')) {
    const found = cookiePairs(header).find(([n]) => n === name);
    if (found) return found[1];
  }
  return undefined;
}

/** The claim of the first JWT in the Authorization header, a cookie or a query parameter. */
function claim(url: string, headers: RawHeaders, name: string): string | undefined {
  const bearer = headerValues(headers, 'authorization').map((v) => v.replace(/^\S+\s+/, '').trim());
  const cookies = headerValues(headers, 'cookie').flatMap((h) => cookiePairs(h).map(([, v]) => v));
  const query = queryPairs(url).map(([, v]) => v);
  for (const candidate of [...bearer, ...cookies, ...query]) {
    const value = jwtClaims(candidate)?.[name];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}
