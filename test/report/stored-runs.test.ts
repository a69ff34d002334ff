import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRun, formatRuns, listRuns } from '../../src/report/stored-runs.js';
import { compareReport, replayReport } from './fixtures.js';
import { recordingWithRuns as recording, storedRun as run, T0 } from './store-fixtures.js';

describe('stored runs', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'reprise-runs-'));
    await recording(root, 'alpha', [run('r1', 'alpha', T0 + 2_000_000, replayReport({ ok: true })), run('shared', 'alpha', T0, replayReport())]);
    await recording(root, 'beta', [run('r2', 'beta', T0 + 1_000_000, compareReport()), run('shared', 'beta', T0 + 3_000_000, replayReport()), run('r3', 'beta', T0 + 4_000_000)]);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists the runs of every recording in start order, with their verdicts', async () => {
    const runs = await listRuns(root);
    expect(runs.map((r) => [r.id, r.recording, r.ok])).toEqual([
      ['shared', 'alpha', false],
      ['r2', 'beta', false],
      ['r1', 'alpha', true],
      ['shared', 'beta', false],
      ['r3', 'beta', null],
    ]);
    expect(runs[0]!.startedAt).toBe(new Date(T0 / 1000).toISOString());
    expect((await listRuns(root, 'alpha')).map((r) => r.id)).toEqual(['shared', 'r1']);
    const table = formatRuns(runs).split('\n');
    expect(table[0]).toMatch(/^RUN\s+KIND\s+RECORDING\s+STARTED\s+TARGETS\s+VERDICT$/);
    expect(table[2]).toMatch(/^r2\s+compare\s+beta\s+\S+\s+primary=http:\/\/127\.0\.0\.1:8081\s+FAIL$/);
    expect(table[5]).toMatch(/unfinished$/);
  });

  it('finds a run whose id is unique without being told the recording', async () => {
    const found = await findRun(root, 'r2');
    expect(found.report.kind).toBe('compare');
    expect(found.run.recording).toBe('beta');
  });

  it('asks for --recording when the id is in several, and finds it with one', async () => {
    await expect(findRun(root, 'shared')).rejects.toThrow('run "shared" exists in recordings "alpha", "beta": choose one with --recording');
    expect((await findRun(root, 'shared', 'beta')).run.startedAt).toBe(T0 + 3_000_000);
  });

  it('says so for an unknown run, an unknown recording and a run without a report', async () => {
    await expect(findRun(root, 'nope')).rejects.toMatchObject({ code: 'REPRISE_NO_RUN' });
    await expect(findRun(root, 'r1', 'gamma')).rejects.toMatchObject({ code: 'REPRISE_NO_RECORDING' });
    await expect(findRun(root, 'r3')).rejects.toMatchObject({ code: 'REPRISE_NO_REPORT', message: expect.stringContaining('did not finish') });
  });

  it('says an empty store has no runs', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'reprise-runs-empty-'));
    expect(formatRuns(await listRuns(empty))).toBe('no runs stored');
    await rm(empty, { recursive: true });
  });
});
