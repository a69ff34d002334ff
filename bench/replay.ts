/**
 * npm run bench:replay [-- --connections 50 --exchanges 400 --rounds 11 --starts 5000 --lag-rounds 3 --events 1000000 --parts 1,2,3]
 *
 * One run, side by side:
 *   1. HTTP exchange rate: the replayer at --speed max (one virtual user per connection, each
 *      replaying a session of sequential GETs) vs autocannon at the same connection count, the
 *      same small JSON target; rounds interleave the two and the median is reported.
 *      Bar: the replayer moves at least 0.7x autocannon's req/s.
 *   2. Schedule lag at 1,000 session starts per second (profile 1/1ms*N), each a real session,
 *      after a warm-up run; rounds, the median round's p99 reported. Bar: p99 under 10 ms.
 *   3. Peak RSS of `reprise replay` (the built CLI, in its own process) on a recording of
 *      1,000,000 events (WebSocket sessions: messages and echoes; a 100 s recording) at its
 *      recorded pace. Bar: under 300 MB.
 * The target runs in its own process; the recording of part 3 is written by another one.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Event, Session } from '../src/model/index.js';
import { parseProfile } from '../src/replay/profile.js';
import { runReplay } from '../src/replay/run-replay.js';
import { RecordingStore } from '../src/store/recording-store.js';
import { BODY, startFastTarget } from './fast-target.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const T0 = 1_700_000_000_000_000;

// ---------------------------------------------------------------- child roles

async function target(): Promise<void> {
  process.send!({ url: await startFastTarget() });
}

/**
 * Writes `events` events as WebSocket sessions of 500 events each (open, 249 message/echo pairs
 * 2 ms apart, close), one session starting every 50 ms: a 100 s recording of ~20 users at a time.
 */
async function buildWsRecording(root: string, events: number): Promise<void> {
  const perSession = 500;
  const store = await RecordingStore.create(root, meta('ws', Math.ceil(events / perSession)));
  const writer = store.writer();
  for (let s = 0; s * perSession < events; s++) {
    const id = `s${String(s).padStart(6, '0')}`;
    const start = T0 + s * 50_000;
    const out: Event[] = [{ type: 'ws-open', seq: 1, t: start, wsId: 'w', connectionId: 'c', clientAddress: '127.0.0.1', url: '/ws', headers: [], protocols: [], protocol: '', status: 101 }];
    for (let i = 0; out.length < perSession - 1; i++) {
      const data = Buffer.from(JSON.stringify({ type: 'chat', n: i, text: 'hello there, how are you today?' }));
      const body = { bytes: data, size: data.length, truncated: false };
      out.push({ type: 'ws-message', seq: out.length + 1, t: start + (2 * i + 1) * 1000, wsId: 'w', direction: 'client', opcode: 'text', data: body });
      out.push({ type: 'ws-message', seq: out.length + 1, t: start + (2 * i + 2) * 1000, wsId: 'w', direction: 'server', opcode: 'text', data: body });
    }
    out.push({ type: 'ws-close', seq: out.length + 1, t: start + perSession * 1000, wsId: 'w', code: 1000, reason: '', by: 'client' });
    writer.putSession(session(id, start, out.length, out.at(-1)!.t));
    for (const e of out) writer.putEvent(id, e);
    if (s % 20 === 19) await writer.flush(); // keep the writer's queue (and this process) small
  }
  await writer.flush();
  await store.close();
}

// ---------------------------------------------------------------- recordings for parts 1 and 2

function meta(name: string, sessions: number) {
  return {
    name,
    target: 'http://recorded.invalid',
    startedAt: T0,
    counts: { sessions, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 },
    options: { maxBody: 1 << 20, sessionKeys: [], redact: [] },
  };
}

function session(id: string, startedAt: number, eventCount: number, endedAt: number): Session {
  return { id, startedAt, endedAt, tags: ['anonymous'], client: { address: '127.0.0.1' }, groupedBy: { by: 'connection' }, eventCount, links: [] };
}

function get(seq: number, t: number): Event {
  const empty = { bytes: Buffer.alloc(0), size: 0, truncated: false };
  const body = { bytes: Buffer.from(BODY), size: BODY.length, truncated: false };
  return {
    type: 'http',
    seq,
    t,
    exchangeId: `x${seq}`,
    connectionId: 'c',
    clientAddress: '127.0.0.1',
    request: { method: 'GET', url: '/api/me', httpVersion: '1.1', headers: [['host', 'recorded.invalid'], ['accept', 'application/json']], body: empty },
    response: { status: 200, statusMessage: 'OK', headers: [['content-type', 'application/json']], body },
    timing: { start: t, firstByte: t + 100, end: t + 200 },
  };
}

/** `sessions` sessions starting together, each `exchanges` sequential GETs. */
async function httpRecording(root: string, name: string, sessions: number, exchanges: number): Promise<RecordingStore> {
  const store = await RecordingStore.create(root, meta(name, sessions));
  const writer = store.writer();
  for (let s = 0; s < sessions; s++) {
    const id = `s${s}`;
    for (let i = 0; i < exchanges; i++) writer.putEvent(id, get(i + 1, T0 + i * 1000));
    writer.putSession(session(id, T0, exchanges, T0 + exchanges * 1000));
  }
  await writer.flush();
  return store;
}

// ---------------------------------------------------------------- measurements

async function replayRate(store: RecordingStore, url: string): Promise<{ rps: number; wholeRps: number; failed: number }> {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const t0 = performance.now();
  const outcome = await runReplay({
    store,
    targets: [{ role: 'primary', url }],
    speed: Number.POSITIVE_INFINITY,
    onResult: (r) => {
      for (const x of r.exchanges) {
        first = Math.min(first, x.sentAt);
        last = Math.max(last, x.sentAt + (x.latencyMs ?? 0) * 1000);
      }
    },
  });
  const whole = (performance.now() - t0) / 1000;
  const r = outcome.reports.primary!;
  return { rps: r.exchanges.total / ((last - first) / 1e6), wholeRps: r.exchanges.total / whole, failed: r.exchanges.failed };
}

async function autocannonRate(url: string, connections: number, amount: number): Promise<{ rps: number; failed: number }> {
  const r = await autocannon({ url: `${url}/api/me`, connections, amount });
  return { rps: r.requests.total / (r.duration || 1), failed: r.errors + r.timeouts + r.non2xx };
}

/** Every start is a real session: a connection of its own, one GET, results stored. */
async function lagAt1000(store: RecordingStore, url: string, starts: number) {
  const outcome = await runReplay({ store, targets: [{ role: 'primary', url }], profile: parseProfile(`1/1ms*${starts}`) });
  const r = outcome.reports.primary!;
  return { ...r.lagMs, missed: r.missedStarts, ok: r.sessions.succeeded, total: r.sessions.total };
}

// ---------------------------------------------------------------- processes

function spawnRole(args: string[]): { child: ChildProcess; message: Promise<Record<string, unknown>> } {
  const child = fork(fileURLToPath(import.meta.url), ['--role', ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const message = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return { child, message };
}

async function finished(child: ChildProcess): Promise<void> {
  if (child.exitCode === null) await once(child, 'exit');
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const connections = arg('connections', 50);
  const exchanges = arg('exchanges', 400);
  const rounds = arg('rounds', 11);
  const starts = arg('starts', 5000);
  const events = arg('events', 1_000_000);
  const partsAt = process.argv.indexOf('--parts');
  const parts = new Set((partsAt > 0 ? process.argv[partsAt + 1]! : '1,2,3').split(','));
  const root = await mkdtemp(join(tmpdir(), 'reprise-bench-replay-'));
  const server = spawnRole(['target']);
  const url = (await server.message).url as string;
  console.log(`reprise bench:replay — ${availableParallelism()} cores (nproc), node ${process.version}, target ${url}\n`);
  try {
    if (parts.has('1')) await exchangeRate(root, url, connections, exchanges, rounds);
    if (parts.has('2')) await scheduleLag(root, url, starts, arg('lag-rounds', 3));
    if (parts.has('3')) await peakRss(root, url, events);
  } finally {
    server.child.kill();
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Rounds alternate the two tools and each round's pair gives a ratio; the median ratio is the
 * figure, so a neighbour's load that comes and goes weighs on both sides of each pair alike.
 */
async function exchangeRate(root: string, url: string, connections: number, exchanges: number, rounds: number): Promise<void> {
  const store = await httpRecording(root, 'rate', connections, exchanges);
  const warm = await httpRecording(root, 'warm', connections, 100);
  await autocannonRate(url, connections, 5000);
  await replayRate(warm, url);
  await warm.close();
  const rows: { ours: number; theirs: number; whole: number }[] = [];
  let failed = 0;
  for (let i = 0; i < rounds; i++) {
    const a = await autocannonRate(url, connections, connections * exchanges);
    const b = await replayRate(store, url);
    rows.push({ theirs: a.rps, ours: b.rps, whole: b.wholeRps });
    failed += a.failed + b.failed;
  }
  await store.close();
  const ratio = median(rows.map((r) => r.ours / r.theirs));
  console.log(`1. HTTP exchange rate, ${connections} connections, ${fmt(connections * exchanges)} requests per round, ${rounds} rounds`);
  console.log(`   autocannon                 ${fmt(median(rows.map((r) => r.theirs))).padStart(8)} req/s (median)`);
  console.log(`   reprise replay --speed max ${fmt(median(rows.map((r) => r.ours))).padStart(8)} req/s (median; whole run incl. plan, store and report: ${fmt(median(rows.map((r) => r.whole)))}/s)`);
  console.log(`   per-round ratios ${rows.map((r) => fmt(r.ours / r.theirs, 2)).join(' ')}`);
  console.log(`   ratio ${fmt(ratio, 2)}x (median)   bar >= 0.70x   ${verdict(ratio >= 0.7)}${failed ? `   (${failed} failed requests!)` : ''}\n`);
}

/** A warm-up run first (JIT), then rounds; the median round's p99 is the figure. */
async function scheduleLag(root: string, url: string, starts: number, rounds: number): Promise<void> {
  const store = await httpRecording(root, 'lag', 1, 1);
  await lagAt1000(store, url, 2000);
  const runs = [];
  for (let i = 0; i < rounds; i++) runs.push(await lagAt1000(store, url, starts));
  await store.close();
  const p99 = median(runs.map((r) => r.p99));
  console.log(`2. schedule lag at 1,000 session starts/s (${fmt(starts)} sessions per round, ${rounds} rounds)`);
  for (const r of runs) console.log(`   p50 ${fmt(r.p50, 3)} ms   p99 ${fmt(r.p99, 3)} ms   max ${fmt(r.max, 3)} ms   missed ${r.missed}   sessions ok ${r.ok}/${r.total}`);
  console.log(`   p99 ${fmt(p99, 3)} ms (median round)   bar p99 < 10 ms   ${verdict(p99 < 10)}\n`);
}

/**
 * The replay runs as a user runs it, `reprise replay` from the built CLI, in its own process;
 * its peak RSS is the kernel's high-water mark (VmHWM), read while it runs.
 */
async function peakRss(root: string, url: string, events: number): Promise<void> {
  const wsRoot = join(root, 'ws');
  const build = spawnRole(['build', wsRoot, String(events)]);
  await build.message;
  await finished(build.child);
  const compiled = spawnSync('npx', ['tsc', '-p', '.'], { cwd: REPO, stdio: 'inherit' });
  if (compiled.status !== 0) throw new Error('tsc failed: part 3 runs the built CLI');
  const out = join(root, 'rss-report.json');
  const t0 = performance.now();
  const cli = spawn(process.execPath, [join(REPO, 'dist/cli/main.js'), 'replay', 'ws', '--store', wsRoot, '--target', url, '--ws-key', '$.n', '--quiet', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const poll = setInterval(() => void vmHwm(cli.pid!).then((b) => (peak = Math.max(peak, b))), 50);
  await once(cli, 'exit');
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  const report = JSON.parse(await readFile(out, 'utf8')) as { sessions: { total: number; succeeded: number }; failures: unknown[] };
  const mb = (b: number): string => fmt(b / 1024 / 1024, 1);
  console.log(`3. peak RSS of reprise replay on ${fmt(events)} recorded events (${fmt(report.sessions.total)} WebSocket sessions at their recorded pace, ${fmt(seconds, 1)} s)`);
  console.log(`   peak ${mb(peak)} MB (VmHWM)   sessions ok ${report.sessions.succeeded}/${report.sessions.total}${report.failures.length ? `   failures ${JSON.stringify(report.failures)}` : ''}`);
  console.log(`   bar < 300 MB   ${verdict(peak > 0 && peak < 300 * 1024 * 1024)}`);
}

/** VmHWM of a running process, in bytes (0 once it is gone). */
async function vmHwm(pid: number): Promise<number> {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

const roleAt = process.argv.indexOf('--role');
if (roleAt < 0) await main();
else {
  const [name, a, b] = process.argv.slice(roleAt + 1);
  if (name === 'target') await target();
  else if (name === 'build') {
    await buildWsRecording(a!, Number(b));
    process.send!({ done: true }, () => process.exit(0));
  }
}
