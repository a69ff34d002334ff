/**
 * npm run bench:proxy [-- --duration 2s --rounds 9 --rate N --all --parts 1,2,3,4]
 *
 * One run, the same load against: the target directly, a bare forwarder on the original
 * http-proxy (1.18.1) with a keep-alive agent, reprise's proxy forwarding without recording, and
 * `reprise record`. Each server runs in its own process; the load comes from this one. Every part
 * runs many short rounds that interleave the modes, and checks its bar against the median of
 * each round's comparison with the baseline of the same round (see `interleaved`).
 *   1. throughput: autocannon, 50 keep-alive connections, small JSON; req/s against the bare
 *      forwarder's.
 *   2. added latency: a fixed, moderate rate (open loop; by default a quarter of what the bare
 *      forwarder managed in 1.), the modes taking turns of 100 ms within each round, latency in
 *      µs, p99 less direct's; forwarding alone is measured too, which tells the hop's share of the
 *      tail from recording's.
 *   3. WebSocket echo: 20 clients with 16 messages in flight each, messages/s against direct's.
 *   4. part 2 again from 1,000 users, each sending a bearer token of its own, so the recorder
 *      keeps 1,000 sessions at once (no bar: it shows whether recording's share grows with them).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { parseDuration } from '../src/model/duration.js';
import { ProxyServer } from '../src/proxy/proxy-server.js';
import { startRecorder } from '../src/record/start-recorder.js';
import { formatSummary } from '../src/record/summary.js';
import { startFastTarget } from './fast-target.js';

type Mode = 'direct' | 'bare' | 'hp3' | 'forward' | 'reprise';
const LABEL: Record<Mode, string> = {
  direct: 'direct',
  bare: 'http-proxy 1.18.1',
  hp3: 'http-proxy-3',
  forward: 'reprise (forward only)',
  reprise: 'reprise record',
};

// ---------------------------------------------------------------- server roles (child processes)

async function role(name: string, target: string): Promise<void> {
  let url: string;
  let stop: () => Promise<string> = async () => '';
  if (name === 'target') {
    url = await startFastTarget();
  } else if (name === 'bare' || name === 'hp3') {
    // The two share one API (http-proxy-3 is the rewrite); the older types stand for both.
    const lib = (name === 'bare' ? (await import('http-proxy')).default : await import('http-proxy-3')) as typeof import('http-proxy');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const proxy = lib.createProxyServer({ target, agent, xfwd: true, ws: true });
    proxy.on('error', (_e, _req, res) => {
      if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502).end();
    });
    const server = createServer((req, res) => proxy.web(req, res));
    server.on('upgrade', (req, socket, head) => proxy.ws(req, socket, head));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  } else if (name === 'forward') {
    const proxy = await ProxyServer.start({ target });
    url = proxy.url;
  } else {
    const root = await mkdtemp(join(tmpdir(), 'reprise-bench-'));
    const recorder = await startRecorder({ target, store: root, name: 'bench', listen: { host: '127.0.0.1', port: 0 } });
    url = recorder.url;
    stop = async () => {
      const summary = formatSummary(await recorder.stop());
      await rm(root, { recursive: true, force: true });
      return summary;
    };
  }
  process.send!({ url });
  process.on('message', async (m: { stop?: boolean; cpu?: boolean }) => {
    if (m.cpu) {
      const { user, system } = process.cpuUsage();
      process.send!({ cpu: user + system });
    } else if (m.stop) process.send!({ summary: await stop() }, () => process.exit(0));
  });
}

function spawnRole(name: string, target = ''): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--role', name, target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve({ child, url: m.url }));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** CPU time (µs) the child has used so far: per request it is robust to a busy machine, unlike req/s. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { cpu?: number }): void => {
      if (m.cpu === undefined) return;
      child.off('message', on);
      resolve(m.cpu);
    };
    child.on('message', on);
    child.send({ cpu: true });
  });
}

async function stopRole(child: ChildProcess): Promise<string> {
  const reply = new Promise<string>((resolve) => child.once('message', (m: { summary?: string }) => resolve(m.summary ?? '')));
  child.send({ stop: true });
  const summary = await reply;
  if (child.exitCode === null) await once(child, 'exit');
  return summary;
}

// ---------------------------------------------------------------- load

interface Throughput {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU µs per request of the server measured (the proxy; the target itself for direct). */
  cpu: number;
}

async function throughput(url: string, durationS: number, server: ChildProcess): Promise<Throughput> {
  const before = await cpuOf(server);
  const r = await autocannon({ url: `${url}/api/me`, connections: 50, duration: durationS });
  const cpu = ((await cpuOf(server)) - before) / r.requests.total;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, cpu };
}

type Histogram = ReturnType<typeof hdr.build>;
const histogram = (): Histogram => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });

/** Who sends the next request: its headers. */
type Users = () => Record<string, string> | undefined;
const ONE_USER: Users = () => undefined;

/**
 * `n` users taking turns, each with a bearer token of its own, so the recorder keeps a session
 * for each. The tokens are token-sized: a value of a few characters is not taken for a credential.
 */
function manyUsers(n: number): Users {
  let next = 0;
  return () => ({ authorization: `Bearer u${String(next++ % n).padStart(6, '0')}.c2Vzc2lvbi10b2tlbg` });
}

/** Open loop: requests are sent on the clock whatever the responses do; latency in µs. Returns the errors. */
async function fixedRate(pool: Pool, rate: number, durationMs: number, latency: Histogram, users: Users = ONE_USER): Promise<number> {
  let errors = 0;
  let sent = 0;
  const inflight = new Set<Promise<void>>();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs) {
        clearInterval(tick);
        resolve();
        return;
      }
      for (const due = Math.floor((elapsed / 1000) * rate); sent < due; sent++) {
        const t0 = performance.now();
        const p = pool
          .request({ path: '/api/me', method: 'GET', headers: users() })
          .then(async (res) => {
            await res.body.dump();
            if (res.statusCode !== 200) errors++;
            latency.recordValue(Math.round((performance.now() - t0) * 1000));
          })
          .catch(() => void errors++)
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
    }, 1);
  });
  await Promise.all(inflight);
  return errors;
}

/** Echo round trips with `window` messages in flight per client; messages/s counts echoes received. */
async function wsEcho(url: string, clients: number, window: number, durationMs: number, server: ChildProcess): Promise<{ rate: number; cpu: number }> {
  const sockets = await Promise.all(
    Array.from({ length: clients }, () => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/echo`);
      return once(ws, 'open').then(() => ws);
    }),
  );
  const payload = JSON.stringify({ type: 'chat', text: 'hello there, how are you today?' });
  let received = 0;
  let running = true;
  for (const ws of sockets) {
    ws.on('message', () => {
      received++;
      if (running) ws.send(payload);
    });
    for (let i = 0; i < window; i++) ws.send(payload);
  }
  const cpuBefore = await cpuOf(server);
  const [start, before] = [performance.now(), received];
  await new Promise((r) => setTimeout(r, durationMs));
  const echoes = received - before;
  const cpu = ((await cpuOf(server)) - cpuBefore) / echoes;
  const rate = echoes / ((performance.now() - start) / 1000);
  running = false;
  await Promise.all(sockets.map((ws) => (ws.close(), once(ws, 'close'))));
  return { rate, cpu };
}

// ---------------------------------------------------------------- report

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pad = (s: string | number, n: number): string => String(s).padStart(n);

type Urls = Partial<Record<Mode, string>>;
type Children = Partial<Record<Mode, ChildProcess>>;
type Check = readonly [string, boolean];

/**
 * Many short rounds, each running every mode once, one after the other. A busy spell of the
 * shared machine then lands on modes of the same round, so comparing each mode with the baseline
 * of its own round (a ratio, a difference) cancels most of it, and the median of those pairs is
 * what a bar is checked against. The middle half of the pairs shows how steady that was.
 */
async function interleaved<R>(modes: Mode[], rounds: number, run: (m: Mode) => Promise<R>): Promise<Partial<Record<Mode, R[]>>> {
  const runs: Partial<Record<Mode, R[]>> = {};
  for (let round = 0; round < rounds; round++) for (const m of modes) (runs[m] ??= []).push(await run(m));
  return runs;
}

interface Paired {
  median: number;
  q1: number;
  q3: number;
}

function paired<R>(runs: R[], baseline: R[], compare: (r: R, base: R) => number): Paired {
  const pairs = runs.map((r, i) => compare(r, baseline[i]!)).sort((a, b) => a - b);
  const at = (q: number): number => pairs[Math.floor((pairs.length - 1) * q)]!;
  return { median: median(pairs), q1: at(0.25), q3: at(0.75) };
}

const ratio = (p: Paired): string => `${p.median.toFixed(2)}x (${p.q1.toFixed(2)}..${p.q3.toFixed(2)})`;
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

/** 1. Throughput: req/s per mode, and each round's against the bare forwarder's of that round. */
async function throughputPart(modes: Mode[], urls: Urls, children: Children, durationMs: number, rounds: number): Promise<{ rps: Partial<Record<Mode, number>>; checks: Check[] }> {
  // Warm every path (JIT, pools, connections) before measuring.
  for (const m of modes) await throughput(urls[m]!, 1, children[m]!);
  const runs = await interleaved(modes, rounds, (m) => throughput(urls[m]!, durationMs / 1000, children[m]!));
  console.log(`\nHTTP keep-alive, 50 connections, small JSON (medians of ${rounds} rounds; latency ms, autocannon)`);
  console.log(`${'mode'.padEnd(24)}${pad('req/s', 9)}${pad('p50', 6)}${pad('p99', 6)}${pad('errors', 8)}${pad('cpu µs/req', 12)}  vs bare (middle half)`);
  const rps: Partial<Record<Mode, number>> = {};
  const vsBare: Partial<Record<Mode, Paired>> = {};
  for (const m of modes) {
    const rs = runs[m]!;
    rps[m] = median(rs.map((r) => r.rps));
    vsBare[m] = paired(rs, runs.bare!, (r, base) => r.rps / base.rps);
    const line = `${LABEL[m].padEnd(24)}${pad(Math.round(rps[m]!), 9)}${pad(median(rs.map((r) => r.p50)), 6)}${pad(median(rs.map((r) => r.p99)), 6)}`;
    console.log(`${line}${pad(rs.reduce((n, r) => n + r.errors, 0), 8)}${pad(median(rs.map((r) => r.cpu)).toFixed(0), 12)}  ${ratio(vsBare[m]!)}`);
  }
  const record = vsBare.reprise!;
  return { rps, checks: [[`reprise record >= bare http-proxy req/s (${ratio(record)}, aim 1.5x)`, record.median >= 1]] };
}

/** Length of one mode's turn within a round of parts 2 and 4. */
const TURN_MS = 100;
/** Part 4's users, each a session of its own in the recording. */
const USERS = 1000;

/**
 * 2. Added latency at a fixed, moderate rate: well below what any mode can do, so the latency is
 * the path's, not a queue's; each round's p99 less direct's of that round. Within a round the
 * modes take turns of TURN_MS, so a busy spell of the machine lasting a second falls on every
 * mode of the round alike instead of on one mode's p99. The order rotates by one every turn:
 * every mode then waits the same pattern of gaps between its turns (reversing the order gave
 * the first and the last mode two turns in a row, and the last one measured worse). Each
 * mode keeps one pool for the whole part: a request that opens a connection is not a forwarded
 * request's latency. The warm-up is long enough for the JIT to settle: a first round after a 1 s
 * one ran several times slower than the rest.
 * 4. runs the same with many users, so the recorder keeps as many sessions at once.
 */
async function fixedRatePart(title: string, fixedModes: Mode[], urls: Urls, rate: number, durationMs: number, rounds: number, users: () => Users): Promise<Paired> {
  console.log(`\n${title}, open loop, turns of ${TURN_MS} ms (medians of ${rounds} rounds; latency ms, µs resolution)`);
  const pools = new Map(fixedModes.map((m) => [m, new Pool(urls[m]!, { connections: 32 })]));
  const senders = new Map(fixedModes.map((m) => [m, users()]));
  const send = (m: Mode, ms: number, latency: Histogram): Promise<number> => fixedRate(pools.get(m)!, rate, ms, latency, senders.get(m)!);
  for (const m of fixedModes) await send(m, 3000, histogram()); // warm
  const runs: Partial<Record<Mode, { p50: number; p99: number; errors: number }[]>> = {};
  for (let round = 0; round < rounds; round++) {
    const latency = new Map(fixedModes.map((m) => [m, histogram()]));
    const errors = new Map(fixedModes.map((m) => [m, 0]));
    for (let turn = 0; turn < durationMs / TURN_MS; turn++) {
      for (const m of fixedModes.map((_, i) => fixedModes[(i + turn) % fixedModes.length]!)) {
        errors.set(m, errors.get(m)! + (await send(m, TURN_MS, latency.get(m)!)));
      }
    }
    for (const m of fixedModes) {
      const ms = (p: number): number => latency.get(m)!.getValueAtPercentile(p) / 1000;
      (runs[m] ??= []).push({ p50: ms(50), p99: ms(99), errors: errors.get(m)! });
    }
  }
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  const added: Partial<Record<Mode, Paired>> = {};
  for (const m of fixedModes) {
    const rs = runs[m]!;
    added[m] = paired(rs, runs.direct!, (r, base) => r.p99 - base.p99);
    const { median: mid, q1, q3 } = added[m]!;
    const errors = rs.reduce((n, r) => n + r.errors, 0);
    const line = `${LABEL[m].padEnd(24)} p50 ${median(rs.map((r) => r.p50)).toFixed(3)}  p99 ${median(rs.map((r) => r.p99)).toFixed(3)}`;
    console.log(`${line}  added p99 ${signed(mid)}${m === 'direct' ? '' : ` (${signed(q1)}..${signed(q3)})`}  errors ${errors}`);
  }
  const share = paired(runs.reprise!, runs.forward!, (r, base) => r.p99 - base.p99);
  console.log(`recording's share of p99 (record less forward only): ${signed(share.median)} (${signed(share.q1)}..${signed(share.q3)})`);
  return added.reprise!;
}

/** 3. WebSocket echo: every client keeps 16 messages in flight, so the relay, not the round trip, sets the pace. */
async function wsPart(urls: Urls, children: Children, durationMs: number, rounds: number): Promise<Check[]> {
  console.log(`\nWebSocket echo, 20 clients x 16 in flight (medians of ${rounds} rounds; cpu of the server measured per echo)`);
  const wsModes: Mode[] = ['direct', 'forward', 'reprise'];
  for (const m of wsModes) await wsEcho(urls[m]!, 20, 16, 1000, children[m]!); // warm
  const runs = await interleaved(wsModes, rounds, (m) => wsEcho(urls[m]!, 20, 16, durationMs, children[m]!));
  const vsDirect: Partial<Record<Mode, Paired>> = {};
  for (const m of wsModes) {
    const rs = runs[m]!;
    vsDirect[m] = paired(rs, runs.direct!, (r, base) => r.rate / base.rate);
    const cpu = median(rs.map((r) => r.cpu));
    console.log(`${LABEL[m].padEnd(24)}${pad(Math.round(median(rs.map((r) => r.rate))), 9)} msgs/s  cpu ${pad(cpu.toFixed(1), 5)} µs/echo  vs direct ${ratio(vsDirect[m]!)}`);
  }
  const record = vsDirect.reprise!;
  return [[`WebSocket relay >= 0.5x direct (${ratio(record)})`, record.median >= 0.5]];
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const durationMs = parseDuration(arg('duration', '2s'));
  const rounds = Number(arg('rounds', '9'));
  const parts = new Set(arg('parts', '1,2,3,4').split(','));
  const modes: Mode[] = process.argv.includes('--all') ? ['direct', 'bare', 'hp3', 'forward', 'reprise'] : ['direct', 'bare', 'forward', 'reprise'];

  const target = await spawnRole('target');
  const urls: Urls = { direct: target.url };
  const children: Children = { direct: target.child };
  for (const m of modes.filter((m) => m !== 'direct')) {
    const s = await spawnRole(m, target.url);
    urls[m] = s.url;
    children[m] = s.child;
  }
  console.log(`reprise proxy benchmark: ${availableParallelism()} cores, node ${process.version}, ${rounds} rounds of ${durationMs / 1000}s`);

  const checks: Check[] = [];
  let bareRps: number | undefined;
  if (parts.has('1')) {
    const part = await throughputPart(modes, urls, children, durationMs, rounds);
    bareRps = part.rps.bare;
    checks.push(...part.checks);
  }
  // By default a quarter of what the bare forwarder managed in part 1.
  const rate = Number(arg('rate', String(bareRps ? Math.max(50, Math.round(bareRps / 4 / 50) * 50) : 1000)));
  if (parts.has('2')) {
    const added = await fixedRatePart(`Fixed rate ${rate} req/s`, ['direct', 'bare', 'forward', 'reprise'], urls, rate, durationMs, rounds, () => ONE_USER);
    checks.push([`added p99 at ${rate} req/s <= 2 ms (${added.median.toFixed(3)} ms)`, added.median <= 2]);
  }
  if (parts.has('3')) checks.push(...(await wsPart(urls, children, durationMs, rounds)));
  if (parts.has('4')) await fixedRatePart(`Fixed rate ${rate} req/s from ${USERS} users`, ['direct', 'forward', 'reprise'], urls, rate, durationMs, rounds, () => manyUsers(USERS));

  const summary = await stopRole(children.reprise!);
  for (const m of modes) if (m !== 'reprise' && m !== 'direct') await stopRole(children[m]!);
  await stopRole(target.child);
  console.log(`\n${summary}\n`);
  for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
}

if (process.argv[2] === '--role') await role(process.argv[3]!, process.argv[4] ?? '');
else await main();
