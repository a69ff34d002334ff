/** A recording is one store directory: its metadata, its sessions, their events, and its runs. */
export interface RecordingMeta {
  /** The store format's version; older stores are upgraded step by step on open. */
  version: number;
  name: string;
  target: string;
  /** Epoch µs. `endedAt` is missing while the recorder still writes (or if it was killed). */
  startedAt: number;
  endedAt?: number;
  counts: RecordingCounts;
  options: { maxBody: number; sessionKeys: string[]; redact: string[]; clientHeader?: string };
}

export interface RecordingCounts {
  sessions: number;
  exchanges: number;
  wsConnections: number;
  wsMessages: number;
  /** Events that could not be stored (store behind or failing); traffic went on regardless. */
  dropped: number;
  bytes: number;
}
