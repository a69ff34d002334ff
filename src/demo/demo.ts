import { rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StoreError } from '../model/errors.js';
import { startRecorder } from '../record/start-recorder.js';
import type { RecordingSummary } from '../record/summary.js';
import { parseFifoSpec } from '../replay/fifo.js';
import { runCompare } from '../diff/compare-run.js';
import { runReplay, type ReplayOptions } from '../replay/run-replay.js';
import { renderHtml } from '../report/html/page.js';
import type { CompareReport, ReplayReport } from '../report/model.js';
import { createProgress, type Progress } from '../report/progress.js';
import { parseThreshold } from '../report/thresholds.js';
import { RecordingStore } from '../store/recording-store.js';
import { startChatBackend, type ChatBackend } from './chat-backend.js';
import { generateTraffic, type TrafficOptions, type TrafficResult } from './traffic.js';
import { VARIANT_A, VARIANT_B } from './variants.js';

/**
 * `reprise demo`: the whole tool on one machine with nothing installed. Two versions of the
 * sample chat service start in-process; synthetic users are recorded through the proxy in front
 * of version 1; the recording is replayed multiplied and sped up against version 1, then both
 * versions are compared on it; the reports are written next to the recording.
 */
export interface DemoOptions {
  store: string;
  /** The recording's name; an earlier demo recording of that name is replaced. */
  name?: string;
  speed?: number;
  multiply?: number;
  quiet?: boolean;
  /** Notes and progress; the summary is returned, not printed. */
  log?: (line: string) => void;
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface DemoOutcome {
  store: string;
  speed: number;
  multiply: number;
  recording: RecordingSummary;
  traffic: TrafficResult;
  replay: ReplayReport;
  compare: CompareReport;
  /** The compare's HTML report (both versions side by side, the differences), absolute. */
  reportPath: string;
  /** The replay's HTML report. */
  replayReportPath: string;
}

export const DEMO_DEFAULTS = { name: 'demo', speed: 5, multiply: 10 };
/** Sixteen users over six seconds: at 5x and x10 that is a burst the six chat slots must queue. */
export const DEMO_TRAFFIC: Omit<TrafficOptions, 'target'> = { users: 16, spreadMs: 6_000 };
export const DEMO_FIFO = 'ws:$.type=ready';
export const DEMO_THRESHOLDS = ['success_rate>=0.95', 'p95<2000'];

export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const o = { ...DEMO_DEFAULTS, ...options };
  const log = o.quiet ? () => undefined : (o.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const backends: ChatBackend[] = [];
  try {
    const v1 = await startChatBackend(VARIANT_A.options);
    backends.push(v1);
    const v2 = await startChatBackend(VARIANT_B.options);
    backends.push(v2);
    log(`demo: ${VARIANT_A.name} at ${v1.url} (${VARIANT_A.description}); ${VARIANT_B.name} at ${v2.url}`);

    await replaceRecording(o.store, o.name);
    const { recording, traffic } = await record(o.store, o.name, v1.url, log);

    const stream = o.quiet ? undefined : o.progressStream;
    const replay = await replayAgainst(o.store, o.name, v1.url, o, stream);
    const compare = await compareBoth(o.store, o.name, v1.url, v2.url, o, stream);
    const dir = resolve(o.store, o.name);
    const replayReportPath = join(dir, 'replay.html');
    const reportPath = join(dir, 'report.html');
    await writeFile(replayReportPath, await renderHtml(replay));
    await writeFile(reportPath, await renderHtml(compare));
    return { store: o.store, speed: o.speed, multiply: o.multiply, recording, traffic, replay, compare, reportPath, replayReportPath };
  } finally {
    await Promise.all(backends.map((b) => b.close()));
  }
}

/** Only ever removes a demo recording: a folder of that name that is not a recording is left alone. */
async function replaceRecording(root: string, name: string): Promise<void> {
  const dir = join(root, name);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) return;
  const isRecording = await stat(RecordingStore.dbDir(dir)).then(() => true, () => false);
  if (!isRecording) throw new StoreError('REPRISE_DEMO_CONFLICT', `${dir} exists and is not a recording; move it or use --store`);
  await rm(dir, { recursive: true, force: true });
}

async function record(root: string, name: string, target: string, log: (line: string) => void): Promise<{ recording: RecordingSummary; traffic: TrafficResult }> {
  const recorder = await startRecorder({ target, store: root, name, listen: { host: '127.0.0.1', port: 0 }, log });
  const result = await generateTraffic({ ...DEMO_TRAFFIC, target: recorder.url }).finally(() => recorder.stop());
  return { recording: await recorder.stop(), traffic: result };
}

/** The load both steps use, with a progress display of their own. */
function load(o: { speed: number; multiply: number }, label: string, stream: DemoOptions['progressStream'] | undefined): { options: DemoLoad; done: () => void } {
  let progress: Progress | undefined;
  const options: DemoLoad = {
    speed: o.speed,
    multiply: o.multiply,
    expectFifo: parseFifoSpec(DEMO_FIFO),
    thresholds: DEMO_THRESHOLDS.map(parseThreshold),
    wsKey: '$.type',
    timeoutMs: 10_000,
    // The demo replays against the very server it recorded: that is its point.
    allowOrigin: true,
    commandOptions: { demo: true, speed: o.speed, multiply: o.multiply },
    onProgress: (p) => {
      progress ??= createProgress({ label, total: p.planned, quiet: stream === undefined, ...(stream && { stream }) });
      progress.update(p);
    },
  };
  return { options, done: () => progress?.done() };
}

type DemoLoad = Omit<ReplayOptions, 'store' | 'targets'>;

async function withStore<T>(root: string, name: string, step: (store: RecordingStore) => Promise<T>): Promise<T> {
  const store = await RecordingStore.open(root, name);
  try {
    return await step(store);
  } finally {
    await store.close();
  }
}

async function replayAgainst(root: string, name: string, target: string, o: { speed: number; multiply: number }, stream?: DemoOptions['progressStream']): Promise<ReplayReport> {
  const { options, done } = load(o, 'replay', stream);
  return withStore(root, name, async (store) => {
    const outcome = await runReplay({ ...options, store, targets: [{ role: 'primary', url: target }] }).finally(done);
    return outcome.reports.primary!;
  });
}

async function compareBoth(root: string, name: string, primary: string, candidate: string, o: { speed: number; multiply: number }, stream?: DemoOptions['progressStream']): Promise<CompareReport> {
  const { options, done } = load(o, 'compare', stream);
  return withStore(root, name, async (store) => {
    const outcome = await runCompare({ ...options, store, primary, candidate, failOn: 'high' }).finally(done);
    return outcome.report;
  });
}
