// Starts the reference chat backends (see PROTOCOL.md) as child processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type BackendKind = 'python' | 'go';

export interface BackendOptions {
  slots: number;
  inferMs: number;
  /** Python only: verify tokens with a blocking call inside the event loop. */
  blockingAuth?: boolean;
  /** Simulated latency of /api/auth/verify; the backends default to 20. */
  authMs?: number;
  /** Deadline for a token check, from the connection's arrival; the backends default to 1000. */
  authTimeoutMs?: number;
  /** Covers the first Go build too, which compiles before it can listen. */
  startTimeoutMs?: number;
  /** Bound for stop(): SIGKILL and reject after this long. */
  stopTimeoutMs?: number;
}

export interface Backend {
  kind: BackendKind;
  port: number;
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  pid: number;
  /** What the backend has written to stderr so far (tail, bounded). */
  stderr(): string;
  /** SIGTERM, then resolve on exit 0; rejects on any other exit. */
  stop(): Promise<void>;
}

export interface BackendsAvailability {
  python: boolean;
  go: boolean;
  /** Debian packages that are missing, in apt-get order. */
  missing: string[];
  /** `apt-get install -y ...` for exactly the missing packages; '' if none. */
  aptLine: string;
}

const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));
const SYSTEM_PYTHON = '/usr/bin/python3';
const GORILLA_SRC = '/usr/share/gocode/src/github.com/gorilla/websocket';
const STDERR_LIMIT = 64 * 1024;

export function backendsAvailable(): BackendsAvailability {
  const ok = (cmd: string, args: string[]): boolean => {
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 15_000 });
    return r.error === undefined && r.status === 0;
  };
  const aiohttp = existsSync(SYSTEM_PYTHON) && ok(SYSTEM_PYTHON, ['-c', 'import aiohttp']);
  const go = ok('go', ['version']);
  const gorilla = existsSync(path.join(GORILLA_SRC, 'conn.go'));
  const missing: string[] = [];
  if (!aiohttp) missing.push('python3-aiohttp');
  if (!go) missing.push('golang-go');
  if (!gorilla) missing.push('golang-github-gorilla-websocket-dev');
  return {
    python: aiohttp,
    go: go && gorilla,
    missing,
    aptLine: missing.length > 0 ? `apt-get install -y ${missing.join(' ')}` : '',
  };
}

// A crashed or interrupted test run must not leave backends holding ports.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

export function startBackend(kind: BackendKind, opts: BackendOptions): Promise<Backend> {
  if (opts.blockingAuth && kind !== 'python') {
    return Promise.reject(new Error('blockingAuth is only implemented by the python backend'));
  }
  const args = ['--port', '0', '--slots', String(opts.slots), '--infer-ms', String(opts.inferMs)];
  if (opts.authMs !== undefined) args.push('--auth-ms', String(opts.authMs));
  if (opts.authTimeoutMs !== undefined) args.push('--auth-timeout-ms', String(opts.authTimeoutMs));
  if (opts.blockingAuth) args.push('--blocking-auth');
  const script = path.join(EXAMPLES_DIR, `chat-${kind}`, 'run');
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;

  const child = spawn(script, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => {
      // 'close' rather than 'exit': by then stderr is fully read, so error
      // messages carry the backend's last words.
      child.once('close', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
      });
    },
  );

  return new Promise<Backend>((resolve, reject) => {
    let stdoutBuf = '';
    let settled = false;
    const fail = (why: string, waitForExit = true): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const error = (): Error =>
        new Error(`chat-${kind} backend ${why}\n--- stderr ---\n${stderr.trimEnd()}`);
      if (!waitForExit) {
        reject(error());
        return;
      }
      if (exited === undefined) child.kill('SIGKILL');
      // Waiting for 'close' lets the last of stderr into the message.
      void exitPromise.then(() => reject(error()));
    };
    const timer = setTimeout(
      () => fail(`did not print "listening on PORT" within ${startTimeoutMs} ms`),
      startTimeoutMs,
    );

    // A failed spawn may never emit 'close', so do not wait for it.
    child.once('error', (err) => fail(`could not be started (${script}): ${err.message}`, false));
    void exitPromise.then(({ code, signal }) =>
      fail(`exited before listening (code ${code}, signal ${signal})`),
    );

    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (settled) return; // keep draining so the pipe never fills
      stdoutBuf += chunk;
      let nl: number;
      while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
        const line = stdoutBuf.slice(0, nl).trim();
        stdoutBuf = stdoutBuf.slice(nl + 1);
        const m = /^listening on (\d+)$/.exec(line);
        if (m === null) continue;
        settled = true;
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({
          kind,
          port,
          url: `http://127.0.0.1:${port}`,
          pid: child.pid!,
          stderr: () => stderr,
          stop: () => stop(),
        });
        return;
      }
    });

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        if (exited === undefined) child.kill('SIGTERM');
        let killTimer: NodeJS.Timeout | undefined;
        const killed = new Promise<'timeout'>((res) => {
          killTimer = setTimeout(() => res('timeout'), stopTimeoutMs);
        });
        const outcome = await Promise.race([exitPromise, killed]);
        clearTimeout(killTimer);
        if (outcome === 'timeout') {
          child.kill('SIGKILL');
          await exitPromise;
          throw new Error(
            `chat-${kind} backend ignored SIGTERM for ${stopTimeoutMs} ms, killed\n--- stderr ---\n${stderr.trimEnd()}`,
          );
        }
        if (outcome.code !== 0) {
          throw new Error(
            `chat-${kind} backend exited with code ${outcome.code} signal ${outcome.signal}\n--- stderr ---\n${stderr.trimEnd()}`,
          );
        }
      })();
      return stopping;
    };
  });
}
