import type { CompareReport, DiffKind } from '../../src/report/model.js';

/**
 * The differences examples/PROTOCOL.md lists as intended, in the compare report's terms. A
 * compare of the two backends must report exactly these (rows 1 and 2 of its table); row 3
 * (`created_at` formats) must come out as noise and row 4 (key order) not at all.
 */
export interface ExpectedDifference {
  /** Row of the Known differences table. */
  row: number;
  route: string;
  path: string;
  kind: DiffKind;
}

export const KNOWN_DIFFERENCES: readonly ExpectedDifference[] = [
  // Python sends an ISO string, Go epoch milliseconds.
  { row: 1, route: 'WS /ws/chat', path: 'ws.message[type=reply].at', kind: 'type' },
  // "invalid credentials" vs "invalid username or password".
  { row: 2, route: 'POST /api/auth/login', path: 'body.error', kind: 'value' },
];

export interface FoundDifference {
  route: string;
  path: string;
  kind: DiffKind;
}

export interface KnownDifferencesCheck {
  /** Known differences the compare reported. */
  found: ExpectedDifference[];
  /** Known differences it did not report. */
  missing: ExpectedDifference[];
  /** What it reported that PROTOCOL.md does not list. */
  unexpected: FoundDifference[];
}

export function checkKnownDifferences(report: CompareReport): KnownDifferencesCheck {
  const reported: FoundDifference[] = report.routes.flatMap((r) =>
    r.differences.map((d) => ({ route: r.route, path: d.path, kind: d.kind })),
  );
  const same = (a: FoundDifference, b: FoundDifference): boolean =>
    a.route === b.route && a.path === b.path && a.kind === b.kind;
  return {
    found: KNOWN_DIFFERENCES.filter((k) => reported.some((d) => same(d, k))),
    missing: KNOWN_DIFFERENCES.filter((k) => !reported.some((d) => same(d, k))),
    unexpected: reported.filter((d) => !KNOWN_DIFFERENCES.some((k) => same(d, k))),
  };
}

/** One line per finding, for the scenario's output. */
export function describeCheck(check: KnownDifferencesCheck): string {
  const lines = check.found.map((k) => `  known difference ${k.row} found: ${k.route} ${k.path} (${k.kind})`);
  for (const k of check.missing) lines.push(`  known difference ${k.row} NOT found: ${k.route} ${k.path} (${k.kind})`);
  for (const d of check.unexpected) lines.push(`  UNEXPECTED difference: ${d.route} ${d.path} (${d.kind})`);
  return lines.join('\n');
}
