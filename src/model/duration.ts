import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "10s", "1.5m", "2h", or a bare number of milliseconds; returns milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`bad ${what} "${text}": use e.g. 500ms, 10s, 2m`);
  return Number(m[1]) * UNITS[m[2] ?? 'ms']!;
}

export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${+ms.toFixed(1)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${+(ms / 60_000).toFixed(1)}m`;
}
