/**
 * Reading JSON text without parsing it: where a token, a string or a whole value ends, how many
 * elements an array has. The byte loops are deliberate: most tokens are short, and a native call
 * per token costs more than it saves. Used by json-lockstep.ts.
 */

/** Thrown (one shared instance, no stack to capture) when a text is not JSON. */
export const MALFORMED = new Error('malformed JSON');

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function isPunctuation(c: number): boolean {
  return c === COMMA || c === COLON || c === OPEN_OBJECT || c === CLOSE_OBJECT || c === OPEN_ARRAY || c === CLOSE_ARRAY;
}

/** After a number or a literal: true when the next byte cannot continue it. */
export function endsToken(c: number | undefined): boolean {
  return c === undefined || c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isWs(c);
}

export function skipWs(buf: Buffer, p: number): number {
  while (isWs(buf[p])) p++;
  return p;
}

export function tokenEnd(buf: Buffer, p: number, c: number): number {
  if (c === QUOTE) return skipString(buf, p);
  if (isPunctuation(c)) return p + 1;
  let q = p + 1;
  while (q < buf.length && !endsToken(buf[q]) && buf[q] !== COLON) q++;
  return q;
}

/** `p` is at an opening quote; returns the offset after the closing one. */
export function skipString(buf: Buffer, p: number): number {
  for (let q = p + 1; q < buf.length; q++) {
    const c = buf[q];
    if (c === QUOTE) return q + 1;
    if (c === BACKSLASH) q++;
  }
  throw MALFORMED;
}

/** Returns the offset after the value at `p`. */
export function skipValue(buf: Buffer, p: number): number {
  const c = buf[p];
  if (c === undefined) throw MALFORMED;
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) return tokenEnd(buf, p, c);
  const end = closesBefore(buf, p, buf.length);
  if (end < 0) throw MALFORMED;
  return end;
}

/** The offset after the container at `p` if it closes by `limit`, else -1. */
export function closesBefore(buf: Buffer, p: number, limit: number): number {
  let depth = 0;
  for (let q = p; q < limit; ) {
    const d = buf[q]!;
    if (d === QUOTE) {
      q = skipString(buf, q);
      continue;
    }
    if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
    else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return q + 1;
    q++;
  }
  return -1;
}

/** From just inside an array's `[`: its length and the offset of its `]`. */
export function countItems(buf: Buffer, p: number): [length: number, close: number] {
  let count = 0;
  for (;;) {
    p = skipWs(buf, p);
    if (buf[p] === CLOSE_ARRAY) return [count, p];
    p = skipWs(buf, skipValue(buf, p));
    count++;
    if (buf[p] === COMMA) p++;
    else if (buf[p] !== CLOSE_ARRAY) throw MALFORMED;
  }
}

/** The names of the first `count` members of the object at `p`. */
export function keysOf(buf: Buffer, p: number, count: number): string[] {
  const keys: string[] = [];
  let q = p + 1;
  while (keys.length < count) {
    q = skipWs(buf, q);
    const end = skipString(buf, q);
    keys.push(parseSpan(buf, q, end) as string);
    q = skipWs(buf, skipValue(buf, skipWs(buf, skipWs(buf, end) + 1)));
    if (buf[q] === COMMA) q++;
  }
  return keys;
}

export function parseSpan(buf: Buffer, start: number, end: number): unknown {
  // Keys and most strings hold no escapes: their bytes are the string, no JSON.parse needed.
  if (end - start >= 2 && buf[start] === QUOTE && buf[end - 1] === QUOTE && plainString(buf, start + 1, end - 1)) {
    return buf.toString('utf8', start + 1, end - 1);
  }
  try {
    return JSON.parse(buf.toString('utf8', start, end));
  } catch {
    throw MALFORMED;
  }
}

/** No escape and no control character between `from` and `to`. */
function plainString(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c === BACKSLASH || c < 0x20) return false;
  }
  return true;
}
