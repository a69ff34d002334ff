import { brotliCompressSync, brotliDecompressSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { Body, Opcode } from '../model/event.js';
import { headerValue, type RawHeaders } from '../model/headers.js';
import type { Pair } from './cookies.js';
import { formPairs } from './url-parts.js';

/**
 * Bodies and messages as the application reads them. Bodies are stored as they crossed the wire,
 * so a gzipped login response must be inflated before its token can be followed or redacted.
 */
export type Content = { kind: 'json'; value: unknown } | { kind: 'form'; fields: Pair[] } | { kind: 'text'; text: string };

type Codec = { decode: (b: Buffer, o: object) => Buffer; encode: (b: Buffer) => Buffer };

const CODECS: Record<string, Codec> = {
  gzip: { decode: gunzipSync, encode: gzipSync },
  'x-gzip': { decode: gunzipSync, encode: gzipSync },
  deflate: { decode: inflateSync, encode: deflateSync },
  br: { decode: brotliDecompressSync, encode: brotliCompressSync },
};

function encodingOf(headers: RawHeaders): string {
  return (headerValue(headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
}

/** Content-encoding undone, at most `limit` bytes out; undefined when it cannot be (truncated, unknown). */
export function decodedBytes(headers: RawHeaders, bytes: Uint8Array, limit = Infinity): Buffer | undefined {
  const encoding = encodingOf(headers);
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'identity' || encoding === '') return raw.byteLength <= limit ? raw : undefined;
  const codec = CODECS[encoding];
  if (!codec) return undefined;
  try {
    return codec.decode(raw, Number.isFinite(limit) ? { maxOutputLength: limit } : {});
  } catch {
    return undefined;
  }
}

/** The inverse of decodedBytes, so a rewritten body still matches its Content-Encoding header. */
export function encodedLike(headers: RawHeaders, bytes: Buffer): Buffer {
  return CODECS[encodingOf(headers)]?.encode(bytes) ?? bytes;
}

/** JSON by its media type, or by its first character when the type says nothing useful. */
export function isJsonLike(contentType: string, text: string): boolean {
  return contentType.includes('json') || /^\s*[[{]/.test(text);
}

/** `worthParsing`, when given, vets JSON text first: parsing is most of what reading a body costs. */
export function httpContent(headers: RawHeaders, body: Body, limit: number, worthParsing?: (text: string) => boolean): Content | undefined {
  if (body.truncated || body.bytes.byteLength === 0) return undefined;
  const bytes = decodedBytes(headers, body.bytes, limit);
  if (!bytes) return undefined;
  const type = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  const text = bytes.toString('utf8');
  if (type.includes('application/x-www-form-urlencoded')) return { kind: 'form', fields: formPairs(text) };
  if (isJsonLike(type, text)) return worthParsing && !worthParsing(text) ? undefined : json(text);
  return type === '' || type.startsWith('text/') ? { kind: 'text', text } : undefined;
}

export function messageContent(opcode: Opcode, data: Body, limit: number): Content | undefined {
  if (opcode !== 'text' || data.truncated || data.bytes.byteLength > limit) return undefined;
  const text = Buffer.from(data.bytes).toString('utf8');
  return isJsonLike('', text) ? json(text) : { kind: 'text', text };
}

function json(text: string): Content | undefined {
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
