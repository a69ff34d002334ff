import type { Run } from '../../src/model/run.js';
import { RecordingStore } from '../../src/store/recording-store.js';

/** Recordings holding runs, for the tests of stored runs and of `reprise runs` / `reprise report`. */
export const T0 = 1_772_360_100_000_000;

export async function recordingWithRuns(root: string, name: string, runs: Run[]): Promise<void> {
  const store = await RecordingStore.create(root, {
    name,
    target: 'http://127.0.0.1:9',
    startedAt: T0,
    endedAt: T0 + 1,
    counts: { sessions: 0, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 },
    options: { maxBody: 1024, sessionKeys: [], redact: [] },
  });
  for (const run of runs) await store.putRun(run);
  await store.close();
}

export function storedRun(id: string, recording: string, startedAt: number, report?: { kind: 'replay' | 'compare' }): Run {
  return {
    id,
    kind: report?.kind ?? 'replay',
    recording,
    startedAt,
    targets: [{ role: 'primary', url: 'http://127.0.0.1:8081' }],
    options: {},
    ...(report !== undefined && { report }),
  };
}
