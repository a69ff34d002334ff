import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareReport, replayReport } from '../report/fixtures.js';
import { recordingWithRuns, storedRun, T0 } from '../report/store-fixtures.js';
import { runCli } from '../helpers/cli.js';

describe('reprise runs', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'reprise-cli-runs-'));
    await recordingWithRuns(root, 'alpha', [storedRun('r-a', 'alpha', T0, replayReport({ ok: true }))]);
    await recordingWithRuns(root, 'beta', [storedRun('r-b', 'beta', T0 + 1_000_000, compareReport())]);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists every recording’s runs as a table, or one recording’s as JSON', async () => {
    const table = await runCli(['runs', '--store', root]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RUN\s+KIND\s+RECORDING/);
    expect(table.stdout).toMatch(/r-a\s+replay\s+alpha\s+.*PASS/);
    expect(table.stdout).toMatch(/r-b\s+compare\s+beta\s+.*FAIL/);
    const json = await runCli(['runs', 'beta', '--store', root, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      runs: [{ id: 'r-b', kind: 'compare', recording: 'beta', startedAt: new Date((T0 + 1_000_000) / 1000).toISOString(), targets: [{ role: 'primary', url: 'http://127.0.0.1:8081' }], ok: false }],
    });
  });

  it('fails in one line for a store that does not exist', async () => {
    const r = await runCli(['runs', '--store', join(root, 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^reprise: store .* does not exist/);
  });
});
