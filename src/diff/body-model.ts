import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';

/**
 * A body (or a WebSocket message) as the differ sees it: JSON compared structurally, text by
 * lines, anything else by length and hash. JSON is recognised by its first character rather than
 * by Content-Type alone, since servers label JSON as text/plain and the other way round.
 */
export type BodyModel =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; size: number; sha1: string };

/** Bytes as received, parsed on first use only: identical bytes are never parsed. */
export interface BodySource {
  bytes: Uint8Array;
  /** A binary WebSocket frame: never parsed as text. */
  binary?: boolean;
  parsed?: BodyModel;
}

export function modelOf(source: BodySource): BodyModel {
  return (source.parsed ??= parseBody(source.bytes, source.binary));
}

/** The first non-blank byte opens an object, an array or a string. */
export function looksLikeJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b || c === 0x5b || c === 0x22;
  }
  return false;
}

const EMPTY: BodyModel = { kind: 'empty' };

export function parseBody(bytes: Uint8Array, binaryHint = false): BodyModel {
  if (bytes.length === 0) return EMPTY;
  if (binaryHint || !isUtf8(bytes)) return binary(bytes);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (looksLikeJson(bytes)) {
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch {
      // Not JSON after all: compared as text.
    }
  }
  return { kind: 'text', text };
}

function binary(bytes: Uint8Array): BodyModel {
  return { kind: 'binary', size: bytes.length, sha1: createHash('sha1').update(bytes).digest('hex').slice(0, 16) };
}

/** True when two byte strings are equal: the fast path that skips parsing identical bodies. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** A short description of a body for samples where the kinds differ. */
export function describeBody(body: BodyModel): string {
  switch (body.kind) {
    case 'empty':
      return '(empty)';
    case 'json':
      return `json ${preview(JSON.stringify(body.value))}`;
    case 'text':
      return `text ${preview(body.text)}`;
    case 'binary':
      return `${body.size} bytes sha1:${body.sha1}`;
  }
}

const PREVIEW = 120;

export function preview(text: string): string {
  return text.length <= PREVIEW ? text : `${text.slice(0, PREVIEW)}…`;
}
