import { describe, expect, it } from 'vitest';
import { diffJson } from '../../src/diff/json-diff.js';
import { diffJsonTexts } from '../../src/diff/json-lockstep.js';
import { brief, collect } from './collect.js';

const bytes = (text: string) => Buffer.from(text);

function lockstep(a: string, b: string) {
  let ok = false;
  const diffs = collect((emit) => (ok = diffJsonTexts(bytes(a), bytes(b), 'body', emit)));
  return { ok, diffs };
}

function parsed(a: string, b: string) {
  return collect((emit) => diffJson(JSON.parse(a), JSON.parse(b), 'body', emit));
}

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth > 3 || r < 0.35) {
    const p = rnd();
    if (p < 0.3) return Math.floor(rnd() * 5);
    if (p < 0.6) return ['a', 'b', 'c', 'é', 'x"y'][Math.floor(rnd() * 5)];
    if (p < 0.75) return rnd() < 0.5;
    return p < 0.85 ? null : 1.5;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => generate(rnd, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--) out[['k', 'id', 'name', 'x y', '1'][Math.floor(rnd() * 5)]!] = generate(rnd, depth + 1);
  return out;
}

/** Changes a document the ways two servers differ: values, types, keys, lengths, order. */
function mutate(rnd: () => number, value: unknown): unknown {
  if (rnd() < 0.15) return generate(rnd, 3);
  if (Array.isArray(value)) {
    const copy = value.map((v) => mutate(rnd, v));
    const p = rnd();
    if (p < 0.1) copy.push(1);
    else if (p < 0.2) copy.reverse();
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, mutate(rnd, v)] as [string, unknown]);
    const p = rnd();
    if (p < 0.1) entries.pop();
    else if (p < 0.2) entries.push(['extra', 1]);
    else if (p < 0.3) entries.reverse();
    return Object.fromEntries(entries);
  }
  return value;
}

describe('diffJsonTexts', () => {
  it('finds exactly what the parsed diff finds, on random documents and random changes', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const rnd = random(seed);
      const doc = generate(rnd, 0);
      const a = JSON.stringify(doc, null, rnd() < 0.3 ? 1 : undefined);
      const b = JSON.stringify(mutate(rnd, doc), null, rnd() < 0.2 ? 2 : undefined);
      const { ok, diffs } = lockstep(a, b);
      expect(ok, `seed ${seed}`).toBe(true);
      expect(diffs, `seed ${seed}: ${a} vs ${b}`).toEqual(parsed(a, b));
    }
  });

  it('skips equal values and reports the ones that differ, with their paths', () => {
    const { diffs } = lockstep('{"a":{"b":[1,2,{"c":"x"}]},"d":1}', '{"a":{"b":[1,2,{"c":"y"}]},"d":1}');
    expect(diffs.map((d) => [d.path, d.concretePath, d.primary, d.candidate])).toEqual([['body.a.b[*].c', 'body.a.b[2].c', 'x', 'y']]);
  });

  it('sees equal values through different spacing, escapes and number spellings', () => {
    expect(lockstep('{"a": [1, 2], "b": "\\u00e9"}', '{"a":[1.0,2],"b":"é"}').diffs).toEqual([]);
  });

  it('finishes an object whose keys come in another order, without reporting the keys already compared twice', () => {
    const { diffs } = lockstep('{"a":1,"b":2,"c":3,"d":4}', '{"a":9,"c":3,"b":2,"e":4}');
    expect(brief(diffs)).toEqual(['body.a value medium', 'body.d missing high', 'body.e extra low']);
  });

  it('reports lengths and reordering of arrays like the parsed diff', () => {
    expect(brief(lockstep('[1,2,3]', '[1,2]').diffs)).toEqual(['body array-length high']);
    expect(brief(lockstep('{"x":[{"a":1},{"a":2}]}', '{"x":[{"a":2},{"a":1}]}').diffs)).toEqual(['body.x array-order medium']);
  });

  it('gives up, having emitted nothing, on text that is not JSON', () => {
    for (const [a, b] of [
      ['{"a":1', '{"a":2'],
      ['{"a":1} x', '{"a":2}'],
      ['{"a" 1}', '{"a":2}'],
      ['[1 2]', '[1,3]'],
      ['{"a":tru}', '{"a":fals}'],
    ] as const) {
      expect(lockstep(a, b), a).toEqual({ ok: false, diffs: [] });
    }
  });
});
