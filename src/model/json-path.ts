/**
 * A small JSONPath subset: `$`, `.name`, `["name"]`, `[3]` and `[*]`. It is what value links,
 * redaction, --vary, --ws-key and --expect-fifo need, and nothing more: a full JSONPath engine
 * would let users write paths the substitution step cannot invert.
 */
export type PathSegment = string | number | '*';

export class JsonPathError extends Error {
  readonly code = 'REPRISE_BAD_JSON_PATH';
}

export function parseJsonPath(path: string): PathSegment[] {
  if (!path.startsWith('$')) throw new JsonPathError(`JSON path must start with $: ${path}`);
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) throw new JsonPathError(`empty name in JSON path: ${path}`);
      segments.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new JsonPathError(`unclosed [ in JSON path: ${path}`);
      const inner = path.slice(i + 1, close);
      if (inner === '*') segments.push('*');
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) segments.push(inner.slice(1, -1));
      else throw new JsonPathError(`bad index [${inner}] in JSON path: ${path}`);
      i = close + 1;
    } else {
      throw new JsonPathError(`unexpected '${c}' in JSON path: ${path}`);
    }
  }
  return segments;
}

export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number' || s === '*') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Every value the path reaches (more than one only through `[*]`). */
export function queryJson(root: unknown, segments: readonly PathSegment[]): unknown[] {
  let current: unknown[] = [root];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== 'object') continue;
      if (seg === '*') next.push(...Object.values(node));
      else if (Object.hasOwn(node, seg)) next.push((node as Record<string | number, unknown>)[seg]);
    }
    current = next;
  }
  return current;
}

/** Replaces every value the path reaches; returns how many were replaced. */
export function updateJson(
  root: unknown,
  segments: readonly PathSegment[],
  update: (old: unknown) => unknown,
): number {
  if (segments.length === 0) return 0;
  const parents = queryJson(root, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  let count = 0;
  for (const parent of parents) {
    if (parent === null || typeof parent !== 'object') continue;
    const record = parent as Record<string | number, unknown>;
    const keys = last === '*' ? Object.keys(record) : Object.hasOwn(record, last) ? [last] : [];
    for (const key of keys) {
      record[key] = update(record[key]);
      count++;
    }
  }
  return count;
}

/** Calls visit for every primitive leaf with its concrete path (used to find issued values). */
export function walkJson(
  root: unknown,
  visit: (segments: PathSegment[], value: string | number | boolean | null) => void,
  prefix: PathSegment[] = [],
): void {
  if (root === null || typeof root !== 'object') {
    visit(prefix, root as string | number | boolean | null);
    return;
  }
  if (Array.isArray(root)) root.forEach((v, i) => walkJson(v, visit, [...prefix, i]));
  else for (const [k, v] of Object.entries(root)) walkJson(v, visit, [...prefix, k]);
}
