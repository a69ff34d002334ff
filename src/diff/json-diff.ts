import type { PathSegment } from '../model/json-path.js';
import type { DiffKind, Risk } from '../report/model.js';
import type { Emit } from './difference.js';
import { formatFieldPath } from './field-path.js';
import { arrayLengthRisk, kindRisk } from './risk.js';
import { sharedShape } from './shapes.js';

/**
 * Structural JSON diff. It runs once per replayed response and must never be what slows a replay
 * down, so equal subtrees cost a walk and nothing else: no copies, no re-stringifying, no path
 * strings until something differs (the path is a stack of keys, formatted only when reported).
 * Object key order is not compared: JSON objects are unordered.
 */
export function diffJson(primary: unknown, candidate: unknown, root: string, emit: Emit, at: SubtreeOptions = {}): void {
  const w: Walk = { root, stack: at.prefix ? [...at.prefix] : [], emit };
  if (at.skipKeys && typeOf(primary) === 'object' && typeOf(candidate) === 'object') {
    walkObject(primary as Record<string, unknown>, candidate as Record<string, unknown>, w, at.skipKeys);
  } else {
    walk(primary, candidate, w);
  }
}

/** Where a subtree sits, for callers that diff part of a document (json-lockstep.ts). */
export interface SubtreeOptions {
  /** The segments from the root to the subtree. */
  prefix?: readonly PathSegment[];
  /** Keys of the subtree's top object already compared: present and equal on both sides. */
  skipKeys?: ReadonlySet<string>;
}

/** Deep equality of two parsed JSON values, without allocating. */
export function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(y, key) || !equalJson(x[key], y[key])) return false;
    count++;
  }
  return count === keyCount(y);
}

interface Walk {
  root: string;
  stack: PathSegment[];
  emit: Emit;
}

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

function walk(a: unknown, b: unknown, w: Walk): void {
  if (a === b) return;
  const type = typeOf(a);
  if (type !== typeOf(b)) return report(w, 'type', kindRisk('type'), a, b);
  if (type === 'object') return walkObject(a as Record<string, unknown>, b as Record<string, unknown>, w);
  if (type === 'array') return walkArray(a as unknown[], b as unknown[], w);
  const shape = sharedShape(a, b);
  report(w, 'value', kindRisk('value'), a, b, shape);
}

function walkObject(a: Record<string, unknown>, b: Record<string, unknown>, w: Walk, skip?: ReadonlySet<string>): void {
  let shared = 0;
  for (const key in a) {
    if (skip?.has(key)) {
      shared++;
      continue;
    }
    w.stack.push(key);
    if (!Object.hasOwn(b, key)) report(w, 'missing', kindRisk('missing'), a[key], undefined);
    else {
      shared++;
      const av = a[key];
      const bv = b[key];
      if (av !== bv) walk(av, bv, w);
    }
    w.stack.pop();
  }
  if (keyCount(b) === shared) return;
  for (const key in b) {
    if (Object.hasOwn(a, key)) continue;
    w.stack.push(key);
    report(w, 'extra', kindRisk('extra'), undefined, b[key]);
    w.stack.pop();
  }
}

/** Beyond this many misplaced elements, order is not checked (it is quadratic). */
const MAX_ORDER_CHECK = 64;

function walkArray(a: unknown[], b: unknown[], w: Walk): void {
  if (a.length !== b.length) {
    // Elements of arrays of different lengths cannot be paired reliably: one insertion would
    // shift every later element. The length is the difference.
    return report(w, 'array-length', arrayLengthRisk(a.length, b.length), a.length, b.length);
  }
  let misplaced: number[] | undefined;
  for (let i = 0; i < a.length; i++) {
    if (!equalJson(a[i], b[i])) (misplaced ??= []).push(i);
  }
  if (!misplaced) return;
  if (reordered(misplaced.map((i) => a[i]), misplaced.map((i) => b[i]))) {
    return report(w, 'array-order', kindRisk('array-order'), a, b);
  }
  for (const i of misplaced) {
    w.stack.push(i);
    walk(a[i], b[i], w);
    w.stack.pop();
  }
}

/**
 * True when the elements that differ position by position (`primary[k]` and `candidate[k]`
 * stood at one index) are the same elements in another order.
 */
export function reordered(primary: readonly unknown[], candidate: readonly unknown[]): boolean {
  if (primary.length < 2 || primary.length > MAX_ORDER_CHECK) return false;
  const used = new Array<boolean>(candidate.length).fill(false);
  return primary.every((x) => {
    const j = candidate.findIndex((y, n) => !used[n] && equalJson(x, y));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

function keyCount(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function report(w: Walk, kind: DiffKind, risk: Risk, primary: unknown, candidate: unknown, shape?: ReturnType<typeof sharedShape>): void {
  w.emit({
    path: formatFieldPath(w.root, w.stack),
    concretePath: formatFieldPath(w.root, w.stack, true),
    kind,
    risk,
    primary,
    candidate,
    ...(shape ? { shape } : {}),
  });
}
