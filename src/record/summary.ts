import type { RecordingCounts } from '../model/recording.js';
import { formatDuration } from '../model/duration.js';

export interface RecordingSummary extends RecordingCounts {
  name: string;
  dir: string;
  durationMs: number;
}

/** The line `reprise record` prints when it stops. */
export function formatSummary(s: RecordingSummary): string {
  const dropped = s.dropped > 0 ? `, ${s.dropped} dropped (store behind or failing)` : ', 0 dropped';
  return (
    `recorded "${s.name}" in ${formatDuration(s.durationMs)}: ${s.sessions} sessions, ${s.exchanges} exchanges, ` +
    `${s.wsConnections} WebSockets, ${s.wsMessages} WS messages, ${formatBytes(s.bytes)}${dropped} -> ${s.dir}`
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
