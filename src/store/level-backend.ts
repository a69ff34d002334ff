import { Level } from 'level';
import type { BatchOp, KeyValueBackend } from './backend.js';

export class LevelBackend implements KeyValueBackend {
  private constructor(private readonly db: Level<string, Uint8Array>) {}

  /** Opens (or, with createIfMissing, creates) the LevelDB directory; errors keep Level's codes. */
  static async open(dir: string, options: { createIfMissing: boolean }): Promise<LevelBackend> {
    const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open({ createIfMissing: options.createIfMissing, errorIfExists: false });
    return new LevelBackend(db);
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.db.get(key);
  }

  batch(ops: readonly BatchOp[]): Promise<void> {
    return this.db.batch(ops as BatchOp[]);
  }

  entries(range: { gte: string; lt: string; limit?: number }): AsyncIterable<[string, Uint8Array]> {
    return this.db.iterator(range);
  }

  keys(range: { gte: string; lt: string; limit?: number }): AsyncIterable<string> {
    return this.db.keys(range);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
