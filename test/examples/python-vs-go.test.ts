import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsAvailable } from '../../examples/backends.js';
import { runScenario, type ScenarioResult } from '../../examples/python-vs-go/scenario.js';
import { QUICK } from '../../examples/python-vs-go/settings.js';
import { renderScenario } from '../../examples/python-vs-go/tables.js';

/**
 * The quick form of `npm run example:python-vs-go`, through the built CLI (npm test builds it):
 * record through the proxy in front of Python, replay the quick ramp against Python, Go and
 * Python with --blocking-auth, compare Python with Go.
 */
const avail = backendsAvailable();
const ready = avail.python && avail.go;
const skip = !ready && process.env.CI !== 'true';
const title = skip ? `python-vs-go scenario (skipped: backends not installed; to run: ${avail.aptLine})` : 'python-vs-go scenario';
if (skip) console.warn(`skipping the python-vs-go scenario: backends not installed; to run: ${avail.aptLine}`);

describe.skipIf(skip)(title, () => {
  let workDir: string;
  let result: ScenarioResult;

  beforeAll(async () => {
    if (!ready) throw new Error(`the reference backends are not installed; to run: ${avail.aptLine}`);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'reprise-pvg-test-'));
    result = await runScenario({ settings: QUICK, workDir, log: () => undefined });
    // The tables in the test log: what a failure here looked like.
    console.log(renderScenario(result));
  }, 150_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('records every generated user as a session of its own', () => {
    expect(result.traffic.failures).toEqual([]);
    const sessions = Number(/(\d+) sessions/.exec(result.recorded)?.[1]);
    expect(sessions).toBe(result.traffic.users + result.traffic.mistyped);
  });

  it('replaces every recorded token: zero unreplaced values in every run', () => {
    const reports = [result.python, result.go, result.pythonBlocking, result.compare.targets.primary, result.compare.targets.candidate];
    for (const r of reports) {
      expect(r.unreplacedValues).toBe(0);
      // Logged-in sessions were replayed, so there were tokens to replace.
      expect(r.byTag.authenticated?.sessions).toBeGreaterThan(0);
    }
  });

  it('carries the quick ramp on async Python and on Go, first come first served', () => {
    for (const r of [result.python, result.go]) {
      expect(r.failures).toEqual([]);
      expect(r.successRate).toBe(1);
      expect(r.fifo).toMatchObject({ ok: true, inversions: 0 });
      expect(r.fifo!.reached).toBe(r.fifo!.sessions);
    }
  });

  it('finds exactly the known differences of PROTOCOL.md, and timestamps only as noise', () => {
    expect(result.known.missing).toEqual([]);
    expect(result.known.unexpected).toEqual([]);
    const noise = result.compare.routes.flatMap((r) => r.noise.map((n) => n.path));
    expect(noise).toEqual(expect.arrayContaining(['body.user.created_at', 'body.created_at']));
  });

  it('with --blocking-auth, fails authenticated sessions only', () => {
    const { authenticated, anonymous } = result.pythonBlocking.byTag;
    expect(anonymous!.sessions).toBeGreaterThan(0);
    expect(anonymous!.successRate).toBe(1);
    expect(authenticated!.successRate).toBeLessThan(1);
    // Each failure is the token check missing its deadline, nothing else.
    expect(result.pythonBlocking.failures.map((f) => f.reason)).toEqual([expect.stringContaining('1011')]);
  });
});
