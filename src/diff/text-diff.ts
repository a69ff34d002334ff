import type { Emit } from './difference.js';
import { kindRisk } from './risk.js';
import { sharedShape } from './shapes.js';

/** Lines shown on each side of a sample. */
const SAMPLE_LINES = 5;

/**
 * Text compared by lines: one difference for the whole text, whose sample is the block of lines
 * between the common head and the common tail (line numbers start at 1). A one-line text is a
 * value like any other, so a bare token or timestamp is recognised as noise by its shape.
 */
export function diffText(primary: string, candidate: string, root: string, emit: Emit): void {
  if (primary === candidate) return;
  const a = primary.split('\n');
  const b = candidate.split('\n');
  const base = { path: root, concretePath: root, kind: 'text', risk: kindRisk('text') } as const;
  if (a.length === 1 && b.length === 1) {
    const shape = sharedShape(primary, candidate);
    emit({ ...base, primary, candidate, ...(shape ? { shape } : {}) });
    return;
  }
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  emit({
    ...base,
    concretePath: `${root} (line ${head + 1})`,
    primary: block(a, head, a.length - tail),
    candidate: block(b, head, b.length - tail),
  });
}

function block(lines: string[], from: number, to: number): string {
  const shown = lines.slice(from, Math.min(to, from + SAMPLE_LINES));
  const more = to - from - shown.length;
  return shown.join('\n') + (more > 0 ? `\n… ${more} more lines` : '');
}
