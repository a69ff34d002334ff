import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The scenario drives reprise the way a user does: the built CLI, one process per command, so
 * what it shows is exactly what those commands do and can be pasted into a shell.
 */
export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_DIR, 'dist/cli/main.js');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How a command line reads in a shell (for printing and error messages). */
export function shellLine(args: readonly string[]): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['reprise', ...args].map(quote).join(' ');
}

function spawnCli(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_DIR,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/**
 * Runs one command to its end. `okCodes` are the exit codes the step expects (a replay whose
 * FIFO check fails exits 99 and is still a result); any other rejects with the command's output.
 */
export async function reprise(args: readonly string[], okCodes: readonly number[] = [0]): Promise<CommandResult> {
  const result = await collect(spawnCli(args));
  if (!okCodes.includes(result.code)) {
    throw new Error(`${shellLine(args)} exited ${result.code}\n${result.stderr.trimEnd()}\n${result.stdout.trimEnd()}`);
  }
  return result;
}

export interface RunningRecord {
  /** Where clients connect. */
  url: string;
  /** SIGTERM, as a user's Ctrl-C; resolves with the summary line it prints. */
  stop(): Promise<string>;
}

/** `reprise record ... --listen 127.0.0.1:0`, resolved once it says where it listens. */
export function startRecord(args: readonly string[], startTimeoutMs = 30_000): Promise<RunningRecord> {
  const child = spawnCli(args);
  const done = collect(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${shellLine(args)} did not start listening within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    let seen = '';
    child.stdout!.on('data', (chunk: string) => {
      seen += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (m === null) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        stop: async () => {
          child.kill('SIGTERM');
          const r = await done;
          if (r.code !== 0) throw new Error(`${shellLine(args)} exited ${r.code} on SIGTERM\n${r.stderr.trimEnd()}`);
          return r.stdout.trim().split('\n').at(-1) ?? '';
        },
      });
    });
    void done.then((r) => {
      clearTimeout(timer);
      reject(new Error(`${shellLine(args)} exited ${r.code} before listening\n${r.stderr.trimEnd()}`));
    }, reject);
  });
}
