import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { compareReport, replayReport, XSS } from './fixtures.js';

interface ParsedCase {
  classname: string;
  name: string;
  failure: string | null;
  out: string | null;
}
interface ParsedSuite {
  name: string;
  tests: number;
  failures: number;
  cases: ParsedCase[];
}

// A real XML parser (expat, through Debian's Python) reads the output back: well-formed, and every
// escaped string comes back exactly as the report had it.
const PYTHON = '/usr/bin/python3';
const PARSE = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def case(c):
    f = c.find('failure')
    o = c.find('system-out')
    return {'classname': c.get('classname'), 'name': c.get('name'), 'failure': f.get('message') if f is not None else None, 'out': o.text if o is not None else None}
print(json.dumps({'tests': int(root.get('tests')), 'failures': int(root.get('failures')), 'suites': [
    {'name': s.get('name'), 'tests': int(s.get('tests')), 'failures': int(s.get('failures')), 'cases': [case(c) for c in s.findall('testcase')]}
    for s in root.findall('testsuite')]}))
`;

function parse(xmlText: string): { tests: number; failures: number; suites: ParsedSuite[] } {
  const r = spawnSync(PYTHON, ['-c', PARSE], { input: xmlText, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const haveParser = existsSync(PYTHON) || process.env.CI === 'true';

describe.skipIf(!haveParser)('renderJunit', () => {
  it('turns thresholds, the FIFO check and per-route success into test cases', () => {
    const doc = parse(renderJunit(replayReport()));
    expect(doc.suites.map((s) => s.name)).toEqual(['thresholds', 'queue fairness', 'routes']);
    const [thresholds, fifo, routes] = doc.suites as [ParsedSuite, ParsedSuite, ParsedSuite];
    expect(thresholds.cases.map((c) => [c.name, c.failure !== null])).toEqual([
      ['success_rate>=0.99', true],
      ['p95<500', false],
      ['p99{tag:authenticated}<800', true],
    ]);
    expect(thresholds.cases[0]!.failure).toContain('70.8%');
    expect(fifo.cases[0]!.failure).toContain('37 inversions');
    expect(fifo.cases[0]!.failure).toContain(`s-${XSS.closeScript}#1`);
    expect(routes.cases.map((c) => c.name)).toContain(`GET /search?q=${XSS.attribute}`);
    expect(routes.cases.find((c) => c.name === 'POST /api/auth/login')!.failure).toBeNull();
    expect(routes.cases.find((c) => c.name === 'GET /api/me')!.failure).toBe('12 of 366 requests failed (96.7% success)');
    expect(doc.tests).toBe(3 + 1 + 4);
    expect(doc.failures).toBe(2 + 1 + 3);
    expect(thresholds.failures).toBe(2);
  });

  it('adds a suite per target and one for the differences, failing at --fail-on', () => {
    const report = compareReport();
    const names = (r = report) => parse(renderJunit(r)).suites.map((s) => s.name);
    expect(names()).toEqual(['thresholds', 'primary queue fairness', 'primary routes', 'candidate routes', 'differences']);
    const diff = (r = report) => parse(renderJunit(r)).suites.at(-1)!.cases;
    expect(diff().map((c) => [c.name, c.failure !== null])).toEqual([
      ['POST /api/auth/login', true],
      ['WS /ws/chat', false],
      [`GET /search?q=${XSS.attribute}`, true],
    ]);
    expect(diff({ ...report, failOn: 'low' }).every((c) => c.failure !== null)).toBe(true);
    expect(diff()[1]!.out).toContain('medium value ws.message[type=reply].text (raw 1830, noise 4)');
  });

  it('keeps characters XML cannot hold from breaking the file', () => {
    const report = replayReport({ endpoints: [{ ...replayReport().endpoints[0]!, endpoint: 'GET /a\u0001b\ud800c' }] });
    const routes = parse(renderJunit(report)).suites.at(-1)!;
    expect(routes.cases[0]!.name).toBe('GET /a\ufffdb\ufffdc');
  });
});
