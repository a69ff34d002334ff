import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { ALL_PLANTS, journey, startFixtureBackend, type FixtureBackend } from '../diff/fixture-backend.js';
import { buildRecording, tempRoot } from '../replay/fixtures.js';

describe('reprise compare', () => {
  let temp: Awaited<ReturnType<typeof tempRoot>>;
  let primary: FixtureBackend;
  let twin: FixtureBackend;
  let planted: FixtureBackend;

  beforeAll(async () => {
    temp = await tempRoot();
    const store = await buildRecording(temp.root, 'shop', [journey('alice', 0, 'alice'), journey('guest', 50)]);
    await store.close();
    [primary, twin, planted] = await Promise.all([startFixtureBackend(), startFixtureBackend(), startFixtureBackend(ALL_PLANTS)]);
  });

  afterAll(async () => {
    await Promise.all([primary, twin, planted].map((b) => b.close()));
    await temp.remove();
  });

  const compare = (...args: string[]) => runCli(['compare', 'shop', '--store', temp.root, '--speed', 'max', '--ws-key', '$.type', '--timeout', '5s', '--quiet', ...args]);

  it('exits 1 when --fail-on sees a difference, prints the differences and writes --out', async () => {
    const out = join(temp.root, 'compare.json');
    const result = await compare('--primary', primary.url, '--candidate', planted.url, '--fail-on', 'high', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('success rate by stage and tag');
    expect(result.stdout).toMatch(/GET \/api\/flags +2 compared, 1 field differs/);
    expect(result.stdout).toMatch(/body\.user\.id +type +1 +0 +high +1 → "1"/);
    expect(result.stdout).toContain('differences at --fail-on high or above');
    const report = JSON.parse(await readFile(out, 'utf8')) as CompareReport;
    expect(Object.keys(report.targets).sort()).toEqual(['candidate', 'primary']);
    expect(report.targets.primary).toMatchObject({ sessions: { total: 2 }, successRate: 1 });
    expect(report.summary).toEqual({ high: 4, medium: 3, low: 1, noise: 8 });
    expect(report.routes.find((r) => r.route === 'WS /ws/chat')?.differences.map((d) => d.path)).toEqual(['ws.message[type=notice]', 'ws.close.code', 'ws.message[type=reply].text']);
  });

  it('exits 0 on identical backends even with --fail-on low, and 99 when a threshold fails', async () => {
    const same = await compare('--primary', primary.url, '--candidate', twin.url, '--fail-on', 'low');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('✓ no difference at --fail-on low or above');
    const threshold = await compare('--primary', primary.url, '--candidate', planted.url, '--threshold', 'success_rate>=0.99');
    expect(threshold.code).toBe(99);
    expect(threshold.stdout).toContain('checks failed on candidate');
  });

  it('refuses bad input with one line and exit 2, before replaying anything', async () => {
    const cases: [string[], RegExp][] = [
      [['--ignore', 'user.name'], /bad --ignore "user\.name"/],
      [['--noise-relative', 'lots'], /bad --noise-relative "lots"/],
      [['--headers', 'a b'], /bad header name "a b"/],
      [['--route', 'users/:id'], /bad --route/],
      [['--ws-key', 'type'], /bad --ws-key "type"/],
      [['--fail-on', 'severe'], /--fail-on/],
    ];
    for (const [args, message] of cases) {
      const result = await compare('--primary', primary.url, '--candidate', planted.url, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr.trim().split('\n').length, args.join(' ')).toBeLessThanOrEqual(2);
    }
    const unknown = await runCli(['compare', 'nope', '--store', temp.root, '--primary', primary.url, '--candidate', planted.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no recording named "nope"/);
  });
});
