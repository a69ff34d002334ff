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
