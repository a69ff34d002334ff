import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingCounts } from '../model/recording.js';

/**
 * LevelDB allows one process per database, so while a recorder writes, `reprise ls` cannot open
 * it. The recorder therefore keeps `status.json` beside the database, rewritten every second.
 */
export interface RecordingStatus {
  pid: number;
  target: string;
  startedAt: number;
  updatedAt: number;
  counts: RecordingCounts;
}

const FILE = 'status.json';

export async function writeStatus(dir: string, status: RecordingStatus): Promise<void> {
  // Write-then-rename so a reader never sees half a file.
  const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(status));
  await rename(tmp, join(dir, FILE));
}

export async function readStatus(dir: string): Promise<RecordingStatus | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, FILE), 'utf8')) as RecordingStatus;
  } catch {
    return undefined;
  }
}
