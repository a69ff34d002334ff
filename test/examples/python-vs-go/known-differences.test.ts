import { describe, expect, it } from 'vitest';
import { checkKnownDifferences, KNOWN_DIFFERENCES } from '../../../examples/python-vs-go/known-differences.js';
import type { CompareReport, FieldDifference, RouteDifferences } from '../../../src/report/model.js';
import { compareReport } from '../../report/fixtures.js';

function field(path: string, kind: FieldDifference['kind']): FieldDifference {
  return { path, kind, raw: 10, noise: 0, risk: 'high', samples: [] };
}

function withRoutes(routes: RouteDifferences[]): CompareReport {
  return { ...compareReport(), routes };
}

const knownRoutes = (): RouteDifferences[] =>
  KNOWN_DIFFERENCES.map((k) => ({ route: k.route, requests: 10, differences: [field(k.path, k.kind)], noise: [] }));

describe('checkKnownDifferences', () => {
  it('passes a report with exactly the known differences, noise aside', () => {
    const routes = knownRoutes();
    routes[0]!.noise.push({ path: 'body.user.created_at', kind: 'value', count: 10, reason: 'timestamp' });
    const check = checkKnownDifferences(withRoutes(routes));
    expect(check.found).toEqual([...KNOWN_DIFFERENCES]);
    expect(check.missing).toEqual([]);
    expect(check.unexpected).toEqual([]);
  });

  it('names a known difference that was not reported', () => {
    const check = checkKnownDifferences(withRoutes(knownRoutes().slice(1)));
    expect(check.missing).toEqual([KNOWN_DIFFERENCES[0]]);
  });

  it('names anything reported beyond the known differences, including a known field of another kind', () => {
    const routes = knownRoutes();
    routes[0]!.differences.push(field('ws.close.code', 'ws-close'));
    routes[1]!.differences[0] = field(KNOWN_DIFFERENCES[1]!.path, 'missing');
    const check = checkKnownDifferences(withRoutes(routes));
    expect(check.unexpected).toEqual([
      { route: KNOWN_DIFFERENCES[0]!.route, path: 'ws.close.code', kind: 'ws-close' },
      { route: KNOWN_DIFFERENCES[1]!.route, path: KNOWN_DIFFERENCES[1]!.path, kind: 'missing' },
    ]);
    expect(check.missing).toEqual([KNOWN_DIFFERENCES[1]]);
  });
});
