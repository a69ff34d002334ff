/**
 * The recording path without sockets: synthetic taps (the shapes bench/proxy.ts sends) fed to a
 * Recorder over a real LevelDB store, timed per event. `--ws` feeds WebSocket messages instead.
 * Prints µs per exchange (or message) for the whole path and for stitching alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Recorder } from '../src/record/recorder.js';
import { Redactor } from '../src/session/redactor.js';
import { Stitcher } from '../src/session/stitcher.js';
import { RecordingStore } from '../src/store/recording-store.js';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const WS = process.argv.includes('--ws');
const BODY = Buffer.from(JSON.stringify({ id: 42, name: 'ada', roles: ['user'], ok: true }));
const MSG = Buffer.from(JSON.stringify({ type: 'chat', text: 'hello there, how are you today?' }));
const REQUEST_HEADERS: [string, string][] = [['host', '127.0.0.1:1234'], ['connection', 'keep-alive'], ['user-agent', 'bench']];

function body(bytes: Buffer) {
  return { bytes: new Uint8Array(bytes), size: bytes.byteLength, truncated: false };
}

function feedHttp(r: Recorder, i: number): void {
  const t = Date.now() * 1000 + i;
  const exchangeId = `x${i}`;
  const connectionId = `c${i % 50}`;
  const head = { exchangeId, connectionId, clientAddress: '127.0.0.1', t, method: 'GET', url: '/', headers: REQUEST_HEADERS };
  r.httpRequest(head);
  r.httpExchange({
    type: 'http', t, exchangeId, connectionId, clientAddress: '127.0.0.1',
    request: { method: 'GET', url: '/', httpVersion: '1.1', headers: REQUEST_HEADERS, body: body(Buffer.alloc(0)) },
    response: { status: 200, statusMessage: 'OK', headers: [['content-type', 'application/json'], ['content-length', String(BODY.byteLength)]], body: body(BODY) },
    timing: { start: t, firstByte: t + 100, end: t + 200 },
  });
}

function feedWs(r: Recorder, i: number): void {
  const t = Date.now() * 1000 + i;
  r.wsMessage({ type: 'ws-message', t, wsId: `w${i % 20}`, direction: i % 2 ? 'server' : 'client', opcode: 'text', data: body(MSG) });
}

async function run(label: string, stitchOnly: boolean): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'reprise-bench-'));
  const store = await RecordingStore.create(root, { name: 'b', target: 'http://127.0.0.1:1', createdAt: new Date().toISOString() } as never);
  const stitcher = new Stitcher();
  const writer = store.writer();
  if (stitchOnly) (writer as { putEvent: unknown }).putEvent = () => true;
  const recorder = new Recorder(stitcher, new Redactor([]), writer, () => {});
  if (WS) for (let w = 0; w < 20; w++) recorder.wsOpen({ type: 'ws-open', t: Date.now() * 1000, wsId: `w${w}`, connectionId: `c${w}`, clientAddress: '127.0.0.1', url: '/ws', headers: REQUEST_HEADERS, protocols: [], protocol: '', status: 101 });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i += 500) {
    for (let j = i; j < i + 500; j++) (WS ? feedWs : feedHttp)(recorder, j);
    await recorder.flush();
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  console.log(`${label.padEnd(24)} wall ${((wall * 1000) / N).toFixed(2)} µs/event  cpu ${((cpu.user + cpu.system) / N).toFixed(2)} µs/event  dropped ${recorder.counts().dropped}`);
  await store.close();
  await rm(root, { recursive: true, force: true });
}

for (let round = 0; round < 3; round++) {
  await run(WS ? 'ws: whole path' : 'http: whole path', false);
  await run(WS ? 'ws: without the store' : 'http: without the store', true);
}
