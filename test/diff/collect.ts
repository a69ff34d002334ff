import type { Difference } from '../../src/diff/difference.js';

/** Runs a differ and returns what it emitted. */
export function collect(run: (emit: (d: Difference) => void) => void): Difference[] {
  const out: Difference[] = [];
  run((d) => out.push(d));
  return out;
}

/** The differences as `path kind risk` lines, for readable assertions. */
export function brief(diffs: readonly Difference[]): string[] {
  return diffs.map((d) => `${d.path} ${d.kind} ${d.risk}${d.shape ? ` ~${d.shape}` : ''}`);
}
