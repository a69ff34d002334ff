import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingStore } from '../../src/store/recording-store.js';
import { Resources } from '../proxy/harness.js';
import { startChatApp, user } from '../record/chat-app.js';
import { CLI, runCli } from '../helpers/cli.js';

describe('reprise record', () => {
  let res: Resources;
  let root: string;
  beforeEach(async () => {
    res = new Resources();
    root = await mkdtemp(join(tmpdir(), 'reprise-cli-record-'));
  });
  afterEach(async () => {
    await res.closeAll();
    await rm(root, { recursive: true, force: true });
  });

  it('prints where it listens, records, and on SIGTERM flushes, prints the summary and exits 0', async () => {
    const app = await startChatApp(res);
    const child = spawn(process.execPath, [CLI, 'record', '--target', app.url, '--listen', '127.0.0.1:0', '--store', root, '--name', 'cli', '--redact', 'json:$.password'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    res.add(() => void child.kill('SIGKILL'));
    const lines = createInterface({ input: child.stdout });
    const stderr: string[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
    const [first] = (await once(lines, 'line')) as [string];
    const m = /^recording "cli" to (.+): listening on (http:\/\/127\.0\.0\.1:\d+) -> (.+)$/.exec(first);
    expect(m?.slice(1)).toEqual([join(root, 'cli'), expect.any(String), app.url]);
    const u = user(m![2]!, 'ada', 'secret-pw');
    await u.login();
    expect(await u.me()).toBe(200);
    await u.chat();

    const rest: string[] = [];
    lines.on('line', (l) => rest.push(l));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
    expect(rest.join('\n')).toMatch(/^recorded "cli" in .+: 1 sessions, 2 exchanges, 1 WebSockets, 6 WS messages, .+, 0 dropped -> /);
    expect(stderr.join('')).toBe('');

    const store = await RecordingStore.open(root, 'cli');
    res.add(() => store.close());
    expect(store.meta).toMatchObject({ target: app.url, counts: { sessions: 1, exchanges: 2 }, options: { redact: ['json:$.password'] } });
    expect(store.meta.endedAt).toBeDefined();
  });

  it('refuses a bad flag in one line with exit 2', async () => {
    const unknown = await runCli(['record', '--target', 'http://127.0.0.1:1', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual(["error: unknown option '--bogus'"]);
    const missing = await runCli(['record']);
    expect([missing.code, missing.stderr.trim().split('\n').length]).toEqual([2, 1]);
  });

  it('refuses bad values in one line with exit 2, creating nothing', async () => {
    for (const args of [
      ['--max-body', 'lots'],
      ['--listen', 'nowhere'],
      ['--admin', 'x:y'],
      ['--redact', 'body:everything'],
      ['--session-key', 'ip'],
      ['--client-header', 'x forwarded'],
    ]) {
      const r = await runCli(['record', '--target', 'http://127.0.0.1:1', '--store', root, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^reprise: bad .+\n$/);
    }
    const target = await runCli(['record', '--target', 'localhost:3000', '--store', root]);
    expect([target.code, target.stderr]).toEqual([2, 'reprise: bad target "localhost:3000": use http(s)://host[:port][/base-path]\n']);
    expect(await readdir(root)).toEqual([]);
  });
});
