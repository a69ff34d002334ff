import { headerValues, type RawHeaders } from '../model/headers.js';
import { formatJsonPath, walkJson, type PathSegment } from '../model/json-path.js';
import type { Location } from '../model/location.js';
import type { Content } from './body.js';
import { cookiePairs, setCookiePair } from './cookies.js';
import { isCredentialName, isCredentialValue, isIdentifierLike, isPasswordName, jwtClaims, numberAsIdentifier } from './identifiers.js';
import { pathSegments, queryPairs } from './url-parts.js';

/**
 * Values found in a request, a handshake, a message or a response, with where they sit. A JSON
 * leaf keeps its path as segments and is formatted only when it matters: most leaves never do.
 */
export interface Found {
  value: string;
  at: Location | PathSegment[];
}

export function locationOf(found: Found): Location {
  return Array.isArray(found.at) ? { in: 'json', path: formatJsonPath(found.at) } : found.at;
}

/** What the head of a request or of a WebSocket handshake shows. */
export interface HeadFacts {
  /** Every value that may be linked, strongest places first: Authorization, cookies, query, headers, path. */
  found: Found[];
  /** Values presented as credentials: the token of an Authorization header, a session cookie's value. */
  credentials: string[];
  /** An Authorization header, or a credential-named header, cookie or query parameter with a value. */
  authenticates: boolean;
}

/** Headers that describe the transfer, not the user; a value in them is never a link. */
const TRANSFER_HEADERS = new Set([
  'host', 'content-length', 'content-type', 'content-encoding', 'transfer-encoding', 'connection', 'upgrade',
  'accept', 'accept-encoding', 'accept-language', 'user-agent', 'origin', 'referer', 'te', 'keep-alive',
  'cache-control', 'pragma', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions',
  'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'if-modified-since',
]);

const AUTHORIZATION = new Set(['authorization', 'proxy-authorization']);

export function readHead(url: string, headers: RawHeaders): HeadFacts {
  const facts: HeadFacts = { found: [], credentials: [], authenticates: false };
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (AUTHORIZATION.has(lower)) {
      facts.authenticates = true;
      for (const piece of pieces(value.replace(/^\S+\s+/, ''))) named(facts, piece, { in: 'header', name: lower }, true);
    }
  }
  for (const header of headerValues(headers, 'cookie')) {
    for (const [name, value] of cookiePairs(header)) named(facts, value, { in: 'cookie', name }, isCredentialName(name));
  }
  for (const [name, value] of queryPairs(url)) named(facts, value, { in: 'query', name }, isCredentialName(name));
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (AUTHORIZATION.has(lower) || lower === 'cookie' || TRANSFER_HEADERS.has(lower)) continue;
    for (const piece of pieces(value)) named(facts, piece, { in: 'header', name: lower }, isCredentialName(lower));
  }
  for (const segment of pathSegments(url)) facts.found.push({ value: segment, at: { in: 'path' } });
  return facts;
}

/** A module function rather than a closure in readHead: that runs for every request. */
function named(facts: HeadFacts, value: string, at: Location & { name: string }, credential: boolean): void {
  facts.found.push({ value, at });
  if (!credential || value === '') return;
  facts.authenticates = true;
  if (isCredentialValue(value)) facts.credentials.push(value);
}

/** `a, b; c=d "e"` -> a, b, d, e: the parts of a header value that could each be a token. */
function pieces(value: string): string[] {
  const out = new Set<string>();
  for (const part of value.split(/[\s,;]+/)) {
    const eq = part.indexOf('=');
    const piece = (eq < 0 ? part : part.slice(eq + 1)).replace(/^"|"$/g, '');
    if (piece) out.add(piece);
  }
  return [...out];
}

export interface BodyFacts {
  found: Found[];
  /** A field named like a password (a login, a sign-up) with a value. */
  password: boolean;
}

export function readContent(content: Content | undefined): BodyFacts {
  const facts: BodyFacts = { found: [], password: false };
  if (!content) return facts;
  if (content.kind === 'json') {
    leaves(content.value, (segments, value) => {
      if (value === '') return;
      facts.found.push({ value, at: segments });
      if (isPasswordName(lastName(segments))) facts.password = true;
    });
  } else if (content.kind === 'form') {
    for (const [name, value] of content.fields) {
      if (value === '') continue;
      facts.found.push({ value, at: { in: 'body' } });
      if (isPasswordName(name)) facts.password = true;
    }
  } else if (isCredentialValue(content.text.trim())) {
    facts.found.push({ value: content.text.trim(), at: { in: 'body' } });
  }
  return facts;
}

/**
 * Values a response issues: Set-Cookie values, identifier-like values of credential-named and
 * X- headers, identifier-like JSON leaves. `echoed` rejects what the request itself sent (a
 * username the server repeats is the client's value, not the server's).
 */
export function issuedValues(headers: RawHeaders, content: Content | undefined, echoed: (value: string) => boolean, cap: number): Found[] {
  const out: Found[] = [];
  const add = (value: string, at: Found['at']): void => {
    if (out.length < cap && isIdentifierLike(value) && !echoed(value)) out.push({ value, at });
  };
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') {
      const pair = setCookiePair(value);
      if (pair) add(pair[1], { in: 'cookie', name: pair[0] });
    } else if (isCredentialName(lower) || lower.startsWith('x-')) {
      add(value.trim(), { in: 'header', name: lower });
    }
  }
  if (content?.kind === 'json') leaves(content.value, (segments, value) => add(value, segments));
  return out;
}

/**
 * String leaves, and integers large enough to be ids, as text. JSON nested deeper than the stack
 * allows to walk (a hostile body) yields what was reached: stitching must not fail on it.
 */
function leaves(root: unknown, visit: (segments: PathSegment[], value: string) => void): void {
  try {
    walkJson(root, (segments, leaf) => {
      const value = typeof leaf === 'string' ? leaf : typeof leaf === 'number' ? numberAsIdentifier(leaf) : undefined;
      if (value !== undefined) visit(segments, value);
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
}

/** Whether sending this issued value back is sending a credential (for the `authenticated` tag). */
export function isCredentialSource(found: Found): boolean {
  if (jwtClaims(found.value)) return true;
  if (Array.isArray(found.at)) return isCredentialName(lastName(found.at));
  const at = found.at;
  return (at.in === 'cookie' || at.in === 'header') && isCredentialName(at.name);
}

function lastName(segments: readonly PathSegment[]): string {
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (typeof s === 'string' && s !== '*') return s;
  }
  return '';
}
