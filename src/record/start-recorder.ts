import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../model/errors.js';
import { epochUs } from '../model/clock.js';
import { DEFAULT_MAX_BODY, ProxyServer, type ProxyStats } from '../proxy/proxy-server.js';
import { parseTarget } from '../proxy/target.js';
import { Redactor } from '../session/redactor.js';
import { Stitcher } from '../session/stitcher.js';
import type { KeyValueBackend } from '../store/backend.js';
import { writeStatus } from '../store/recording-status.js';
import { RecordingStore } from '../store/recording-store.js';
import { AdminServer } from './admin-server.js';
import type { HostPort } from './host-port.js';
import { RecorderMetrics } from './metrics.js';
import { Recorder, type RecorderLimits } from './recorder.js';
import type { RecordingSummary } from './summary.js';

export interface RecorderConfig {
  target: string;
  /** Default 127.0.0.1:8080; port 0 picks a free one (see `url`). */
  listen?: HostPort;
  /** The store root; the recording is the directory `<store>/<name>`. */
  store: string;
  /** Default: the start time, e.g. 2026-05-01T09-30-00Z. */
  name?: string;
  sessionKeys?: string[];
  /** A request header a load balancer in front sets with the client's address (X-Forwarded-For). */
  clientHeader?: string;
  redact?: string[];
  maxBody?: number;
  admin?: HostPort;
  /** Towards the target: connect, response headers, body idle, WebSocket handshake. */
  timeoutMs?: number;
  /** How long a stop waits for in-flight exchanges before cutting them. */
  graceMs?: number;
  /** Bytes waiting for the store (events in chunks, encoded values) before events are dropped. */
  maxPendingBytes?: number;
  limits?: RecorderLimits;
  /** A different key-value engine (tests use one that fails on cue). */
  backend?: KeyValueBackend;
  /** Where the recorder's few log lines go (default stderr). */
  log?: (line: string) => void;
  statusIntervalMs?: number;
}

export interface RunningRecorder {
  /** Where clients should connect, e.g. http://127.0.0.1:8080. */
  url: string;
  adminUrl?: string;
  name: string;
  dir: string;
  stats(): RecorderStats;
  /** Stops accepting, finishes in-flight work (bounded), flushes and closes the store. */
  stop(): Promise<RecordingSummary>;
}

export interface RecorderStats {
  proxy: ProxyStats;
  counts: ReturnType<Recorder['counts']>;
  progress: ReturnType<Recorder['progress']>;
}

/**
 * `reprise record` as a function: a proxy in front of the target whose taps are stitched into
 * sessions, redacted and written to a new recording. Bad options are refused before anything
 * is created.
 */
export async function startRecorder(config: RecorderConfig): Promise<RunningRecorder> {
  const log = config.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxBody = config.maxBody ?? DEFAULT_MAX_BODY;
  if (!Number.isInteger(maxBody) || maxBody < 0) throw new UsageError(`bad max body ${maxBody}: use a number of bytes`);
  parseTarget(config.target);
  const sessionKeys = config.sessionKeys ?? [];
  const redact = config.redact ?? [];
  const redactor = new Redactor(redact);
  const clientHeader = config.clientHeader === undefined ? {} : { clientHeader: config.clientHeader };
  const stitcher = new Stitcher({ sessionKeys, ...clientHeader });
  const startedAt = epochUs();
  const name = config.name ?? defaultName();
  checkName(name);

  const counts = { sessions: 0, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 };
  const store = await RecordingStore.create(
    config.store,
    { name, target: config.target, startedAt, counts, options: { maxBody, sessionKeys, redact, ...clientHeader } },
    config.backend,
  );
  const writer = store.writer({
    ...(config.maxPendingBytes !== undefined && { maxPendingBytes: config.maxPendingBytes }),
    onFirstError: (error) => log(`recording: the store failed (${error.message}); dropping events, traffic goes on`),
  });
  const recorder = new Recorder(stitcher, redactor, writer, log, config.limits);
  let proxy: ProxyServer | undefined;
  const metrics = new RecorderMetrics({ proxy: () => proxy!.stats(), counts: () => recorder.counts(), progress: () => recorder.progress() });
  let admin: AdminServer | undefined;
  try {
    const listenAt = config.listen ?? { host: '127.0.0.1', port: 8080 };
    proxy = await ProxyServer.start({
      target: config.target,
      host: listenAt.host,
      port: listenAt.port,
      tap: recorder,
      maxBody,
      ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
      // Only the admin endpoint shows it; without one, observing would cost every exchange for nothing.
      ...(config.admin && { observeAddedLatency: (s: number) => metrics.addedLatency.observe(s) }),
    });
    if (config.admin) admin = await AdminServer.start(config.admin, metrics, () => ({ recording: name, ...recorder.counts() }));
  } catch (error) {
    await proxy?.stop(0);
    await store.close().catch(() => {});
    await rm(store.dir, { recursive: true, force: true });
    throw error;
  }

  const running = proxy;
  const status = (): Promise<void> =>
    writeStatus(store.dir, { pid: process.pid, target: config.target, startedAt, updatedAt: epochUs(), counts: recorder.counts() }).catch(() => {});
  await status();
  const timer = setInterval(status, config.statusIntervalMs ?? 1000);
  timer.unref();

  let stopping: Promise<RecordingSummary> | undefined;
  const stop = async (): Promise<RecordingSummary> => {
    clearInterval(timer);
    await running.stop(config.graceMs ?? 5000);
    await recorder.flush();
    const final = recorder.counts();
    const endedAt = epochUs();
    await store.updateMeta({ endedAt, counts: final }).catch((error: Error) => log(`recording: could not write the final counts (${error.message})`));
    await store.close().catch(() => {});
    await rm(join(store.dir, 'status.json'), { force: true });
    await admin?.close();
    return { name, dir: store.dir, durationMs: (endedAt - startedAt) / 1000, ...final };
  };

  return {
    url: running.url,
    ...(admin && { adminUrl: admin.url }),
    name,
    dir: store.dir,
    stats: () => ({ proxy: running.stats(), counts: recorder.counts(), progress: recorder.progress() }),
    stop: () => (stopping ??= stop()),
  };
}

function defaultName(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

function checkName(name: string): void {
  if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') {
    throw new UsageError(`bad recording name "${name}": use letters, digits, '.', '-' and '_'`);
  }
}
