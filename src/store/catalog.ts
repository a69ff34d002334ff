import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingMeta } from '../model/recording.js';
import { StoreError } from '../model/errors.js';
import { RecordingStore } from './recording-store.js';
import { readStatus, type RecordingStatus } from './recording-status.js';

/**
 * active: a recorder holds it now; complete: closed cleanly; incomplete: its recorder died before
 * closing it (readable, counts may lag); corrupt: it cannot be read.
 */
export type RecordingState = 'active' | 'complete' | 'incomplete' | 'corrupt';

export interface CatalogEntry {
  name: string;
  state: RecordingState;
  meta?: RecordingMeta;
  status?: RecordingStatus;
  runs: number;
  sizeBytes: number;
  error?: string;
}

/** Every recording under root, in name order; a missing root is an error, an empty one is not. */
export async function listRecordings(root: string): Promise<CatalogEntry[]> {
  let names: string[];
  try {
    const entries = await readdir(root, { withFileTypes: true });
    names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    throw new StoreError('REPRISE_NO_STORE', `store ${root} does not exist (record into it with: reprise record --store ${root})`);
  }
  const out: CatalogEntry[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const sizeBytes = await directorySize(dir);
    try {
      const store = await RecordingStore.open(root, name);
      let runs = 0;
      for await (const _ of store.runs()) runs++;
      const meta = store.meta;
      await store.close();
      out.push({ name, state: meta.endedAt === undefined ? 'incomplete' : 'complete', meta, runs, sizeBytes });
    } catch (error) {
      const code = (error as StoreError).code;
      if (code === 'REPRISE_NO_RECORDING') continue; // a folder that is not a recording
      const status = await readStatus(dir);
      if (code === 'REPRISE_RECORDING_ACTIVE') out.push({ name, state: 'active', ...(status && { status }), runs: 0, sizeBytes });
      else out.push({ name, state: 'corrupt', runs: 0, sizeBytes, error: (error as Error).message });
    }
  }
  return out;
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
