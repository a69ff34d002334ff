import { describe, expect, it } from 'vitest';
import { diffJson, equalJson } from '../../src/diff/json-diff.js';
import { brief, collect } from './collect.js';

const diff = (a: unknown, b: unknown) => collect((emit) => diffJson(a, b, 'body', emit));

describe('diffJson', () => {
  it('finds nothing in equal documents, whatever their key order', () => {
    expect(diff({ a: 1, b: [1, { c: 'x' }], d: null }, { d: null, b: [1, { c: 'x' }], a: 1 })).toEqual([]);
  });

  it('reports value, type, missing and extra at their paths with their risks', () => {
    const primary = { user: { id: 7, name: 'alice', active: true, role: 'admin' } };
    const candidate = { user: { id: '7', name: 'Alice', active: true, plan: 'free' } };
    expect(brief(diff(primary, candidate))).toEqual([
      'body.user.id type high',
      'body.user.name value medium',
      'body.user.role missing high',
      'body.user.plan extra low',
    ]);
  });

  it('keeps the values for samples and the concrete path next to the generalised one', () => {
    const [d] = diff({ items: [{ n: 1 }, { n: 2 }] }, { items: [{ n: 1 }, { n: 3 }] });
    expect(d).toMatchObject({ path: 'body.items[*].n', concretePath: 'body.items[1].n', primary: 2, candidate: 3, kind: 'value' });
  });

  it('reports an array length change once, high when elements were lost and low when gained', () => {
    expect(brief(diff({ a: [1, 2, 3] }, { a: [1, 2] }))).toEqual(['body.a array-length high']);
    expect(brief(diff({ a: [1] }, { a: [1, 2] }))).toEqual(['body.a array-length low']);
  });

  it('tells a reordered array from changed elements', () => {
    expect(brief(diff([{ id: 1 }, { id: 2 }, 3], [{ id: 2 }, { id: 1 }, 3]))).toEqual(['body array-order medium']);
    expect(brief(diff([1, 2, 3], [1, 5, 3]))).toEqual(['body[*] value medium']);
  });

  it('treats null and an object as different types, and a top-level change at the root', () => {
    expect(brief(diff({ a: null }, { a: {} }))).toEqual(['body.a type high']);
    expect(brief(diff([1], { 0: 1 }))).toEqual(['body type high']);
    expect(brief(diff('x', 'y'))).toEqual(['body value medium']);
  });

  it('quotes keys that are not identifiers, so the path reads back', () => {
    expect(brief(diff({ 'a b': 1, 'x.y': 2 }, { 'a b': 2, 'x.y': 3 }))).toEqual(['body["a b"] value medium', 'body["x.y"] value medium']);
  });

  it('marks differing values of one recognisable shape', () => {
    const a = { id: '3f2b8c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', at: '2024-05-01T10:00:00Z', n: 'x' };
    const b = { id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', at: '2024-05-01T10:00:07Z', n: 'y' };
    expect(brief(diff(a, b))).toEqual(['body.id value medium ~uuid', 'body.at value medium ~timestamp', 'body.n value medium']);
  });

  it('survives a __proto__ key on one side only', () => {
    const a = JSON.parse('{"__proto__": 1, "k": 1}');
    expect(brief(diff(a, { k: 1 }))).toEqual(['body.__proto__ missing high']);
  });
});

describe('equalJson', () => {
  it('compares deeply and strictly', () => {
    expect(equalJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(equalJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(equalJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(equalJson([1], { 0: 1 })).toBe(false);
    expect(equalJson(1, '1')).toBe(false);
  });
});
