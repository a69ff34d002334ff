import { describe, expect, it } from 'vitest';
import { DiffAccumulator } from '../../src/diff/accumulator.js';
import type { Difference } from '../../src/diff/difference.js';
import { IgnoreRules } from '../../src/diff/ignore.js';

function d(path: string, over: Partial<Difference> = {}): Difference {
  return { path, concretePath: path, kind: 'value', risk: 'medium', primary: 1, candidate: 2, ...over };
}

const pair = (route: string, raw: Difference[], noise: Difference[] = [], at = 's#0 seq 1') => ({ route, at, raw, noise });

describe('DiffAccumulator', () => {
  it('counts exactly, keeps a bounded number of samples, and counts a pair once per field', () => {
    const acc = new DiffAccumulator({ maxSamples: 2 });
    for (let i = 0; i < 5; i++) {
      acc.add(pair('GET /a', [d('body.items[*].n', { concretePath: `body.items[${i}].n` }), d('body.items[*].n', { concretePath: 'body.items[9].n' })], [], `s#${i} seq 1`));
    }
    const [route] = acc.routes();
    expect(route).toMatchObject({ route: 'GET /a', requests: 5 });
    expect(route!.differences).toHaveLength(1);
    expect(route!.differences[0]).toMatchObject({ path: 'body.items[*].n', kind: 'value', raw: 5, noise: 0, risk: 'medium' });
    expect(route!.differences[0]!.samples).toEqual([
      { primary: 1, candidate: 2, at: 's#0 seq 1', path: 'body.items[0].n' },
      { primary: 1, candidate: 2, at: 's#1 seq 1', path: 'body.items[1].n' },
    ]);
  });

  it('dismisses a field as noise where primaries differ as often, and says so with counts', () => {
    const acc = new DiffAccumulator({ noiseSource: 'secondary' });
    for (let i = 0; i < 10; i++) acc.add(pair('GET /a', [d('body.n')], [d('body.n')]));
    const [route] = acc.routes();
    expect(route!.differences).toEqual([]);
    expect(route!.noise).toEqual([{ path: 'body.n', kind: 'value', count: 10, reason: 'secondary', noise: 10 }]);
  });

  it('lists values of one shape as noise by shape, never as differences', () => {
    const acc = new DiffAccumulator();
    for (let i = 0; i < 4; i++) acc.add(pair('GET /a', [d('body.id', { shape: 'uuid' })], [d('body.id', { shape: 'uuid' })]));
    const [route] = acc.routes();
    expect(route!.differences).toEqual([]);
    expect(route!.noise).toEqual([{ path: 'body.id', kind: 'value', count: 4, reason: 'uuid' }]);
  });

  it('keeps kinds apart: a type change is not cancelled by value noise', () => {
    const acc = new DiffAccumulator();
    for (let i = 0; i < 3; i++) acc.add(pair('GET /a', [d('body.n', { kind: 'type', risk: 'high' })], [d('body.n')]));
    expect(acc.routes()[0]!.differences.map((x) => `${x.path} ${x.kind} ${x.raw}/${x.noise}`)).toEqual(['body.n type 3/0']);
  });

  it('takes the highest risk seen for a field', () => {
    const acc = new DiffAccumulator();
    acc.add(pair('GET /a', [d('body.a', { kind: 'array-length', risk: 'low' })]));
    acc.add(pair('GET /a', [d('body.a', { kind: 'array-length', risk: 'high' })]));
    expect(acc.routes()[0]!.differences[0]!.risk).toBe('high');
  });

  it('drops ignored fields before counting', () => {
    const acc = new DiffAccumulator({ ignore: new IgnoreRules(['GET /a@body.user']) });
    acc.add(pair('GET /a', [d('body.user.at'), d('body.n')]));
    acc.add(pair('GET /b', [d('body.user.at')]));
    const paths = acc.routes().map((r) => `${r.route}: ${r.differences.map((x) => x.path).join(',')}`);
    expect(paths.sort()).toEqual(['GET /a: body.n', 'GET /b: body.user.at']);
  });

  it('sorts routes by differences and fields by risk, and summarises by risk', () => {
    const acc = new DiffAccumulator();
    acc.add(pair('GET /quiet', []));
    acc.add(pair('GET /loud', [d('body.x', { kind: 'extra', risk: 'low' }), d('status', { kind: 'status', risk: 'high' }), d('body.id', { shape: 'uuid' })]));
    const routes = acc.routes();
    expect(routes.map((r) => r.route)).toEqual(['GET /loud', 'GET /quiet']);
    expect(routes[0]!.differences.map((x) => x.path)).toEqual(['status', 'body.x']);
    expect(DiffAccumulator.summarise(routes)).toEqual({ high: 1, medium: 0, low: 1, noise: 1 });
  });

  it('cuts big sample values to a preview', () => {
    const acc = new DiffAccumulator();
    acc.add(pair('GET /a', [d('body', { primary: 'x'.repeat(500), candidate: { big: 'y'.repeat(500) } })]));
    const sample = acc.routes()[0]!.differences[0]!.samples[0]!;
    expect((sample.primary as string).length).toBe(201);
    expect(typeof sample.candidate).toBe('string');
  });
});
