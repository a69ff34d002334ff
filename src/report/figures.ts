import { formatDuration } from '../model/duration.js';
import { METRICS } from './thresholds.js';

/** How the graphic renderers (HTML, JUnit, webhooks, progress) write the report's numbers. */

/** 0.9731 -> "97.3%"; rates near 1 keep a second decimal so 99.95% does not read as 100%. */
export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return '–';
  const digits = rate >= 0.99 && rate < 1 ? 2 : 1;
  return `${Number((rate * 100).toFixed(digits))}%`;
}

export function millis(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : formatDuration(ms);
}

/** A run's length: "48.2s", "3m 05s". */
export function elapsed(ms: number): string {
  if (ms < 60_000) return formatDuration(ms);
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Grade of a success rate, for colour: the same cut-offs everywhere a rate is coloured. */
export type Grade = 'good' | 'warn' | 'bad';

export function grade(rate: number): Grade {
  if (rate >= 0.99) return 'good';
  return rate >= 0.9 ? 'warn' : 'bad';
}

/** A threshold's value as its metric reads: rates as percentages, latencies in ms, counts as counts. */
export function thresholdValue(expr: string, value: number | null): string {
  if (value === null) return 'no data';
  // compare names the target first: `candidate: p95<500`
  const name = /^(?:[a-z]+:\s*)?([a-z0-9_]+)/.exec(expr)?.[1] ?? '';
  const kind = (METRICS as Record<string, { kind: string }>)[name]?.kind;
  if (kind === 'rate') return percent(value);
  if (kind === 'ms') return millis(value);
  if (kind === 'count') return count(value);
  return String(Number(value.toFixed(3)));
}
