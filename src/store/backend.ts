/**
 * The narrow interface the store needs from a sorted key-value engine. LevelDB is the one we
 * ship (level-backend.ts); tests wrap it to make it fail on cue, and a second engine would
 * implement these five methods without touching any caller.
 */
export interface KeyValueBackend {
  get(key: string): Promise<Uint8Array | undefined>;
  batch(ops: readonly BatchOp[]): Promise<void>;
  /** Entries with gte <= key < lt, in key order. */
  entries(range: { gte: string; lt: string; limit?: number }): AsyncIterable<[string, Uint8Array]>;
  keys(range: { gte: string; lt: string; limit?: number }): AsyncIterable<string>;
  close(): Promise<void>;
}

export type BatchOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };
