import { Packr } from 'msgpackr';

/**
 * Values are msgpack. Records/structures are off: they would make every value depend on a
 * structure table that must be persisted and versioned; plain maps cost a few bytes per key and
 * keep each value self-describing. Bodies stay bytes (msgpack bin), never re-encoded strings.
 */
const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true });

export function encode(value: unknown): Buffer {
  return packr.pack(value);
}

export function decode<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/** Values encoded one by one, joined into the encoding of the array of them (no re-encoding). */
export function encodedArray(parts: readonly Uint8Array[], partBytes: number): Buffer {
  const n = parts.length;
  const head = n < 16 ? Buffer.of(0x90 | n) : n < 0x10000 ? Buffer.of(0xdc, n >> 8, n & 0xff) : Buffer.of(0xdd, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  return Buffer.concat([head, ...parts], head.byteLength + partBytes);
}
