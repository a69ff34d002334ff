import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareReport, replayReport } from '../report/fixtures.js';
import { recordingWithRuns, storedRun, T0 } from '../report/store-fixtures.js';
import { runCli } from '../helpers/cli.js';

describe('reprise report', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'reprise-cli-report-'));
    await recordingWithRuns(root, 'alpha', [storedRun('r-a', 'alpha', T0, replayReport()), storedRun('twice', 'alpha', T0, replayReport())]);
    await recordingWithRuns(root, 'beta', [storedRun('r-b', 'beta', T0, compareReport()), storedRun('twice', 'beta', T0, replayReport())]);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('prints the terminal summary of a stored run, found without naming its recording', async () => {
    const replay = await runCli(['report', 'r-a', '--store', root]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('success rate');
    const compare = await runCli(['report', 'r-b', '--store', root]);
    expect(compare.stdout).toContain('primary http://127.0.0.1:8081');
    expect(compare.stdout).toContain('candidate http://127.0.0.1:8082');
  });

  it('re-renders it as JSON, HTML and JUnit', async () => {
    const json = await runCli(['report', 'r-b', '--store', root, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(compareReport())));
    const html = join(root, 'out', 'r.html');
    const junit = join(root, 'out', 'r.xml');
    const files = await runCli(['report', 'r-a', '--store', root, '--html', html, '--junit', junit]);
    expect(files.code).toBe(0);
    expect(files.stdout).toBe('');
    expect(files.stderr).toContain(`HTML report: ${html}`);
    expect(await readFile(html, 'utf8')).toContain('Replay report');
    expect(await readFile(junit, 'utf8')).toContain('<testsuite name="thresholds"');
  });

  it('needs --recording only for an id in several recordings', async () => {
    const ambiguous = await runCli(['report', 'twice', '--store', root]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe('reprise: run "twice" exists in recordings "alpha", "beta": choose one with --recording\n');
    expect((await runCli(['report', 'twice', '--store', root, '--recording', 'beta', '--json'])).code).toBe(0);
  });

  it('fails in one line for an unknown run or a bad flag', async () => {
    const unknown = await runCli(['report', 'nope', '--store', root]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^reprise: no run "nope" in any recording in .* \(see: reprise runs --store .*\)\n$/);
    const badFormat = await runCli(['report', 'r-a', '--store', root, '--webhook', 'http://127.0.0.1:9/x', '--webhook-format', 'teams']);
    expect(badFormat.code).toBe(2);
    const badUrl = await runCli(['report', 'r-a', '--store', root, '--webhook', 'nope']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe('reprise: bad --webhook "nope": give an http(s) URL\n');
  });
});
