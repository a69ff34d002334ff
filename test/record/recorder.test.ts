import { describe, expect, it, vi } from 'vitest';
import type { TapHttpExchange, TapHttpRequest } from '../../src/proxy/tap.js';
import { Recorder } from '../../src/record/recorder.js';
import { Redactor } from '../../src/session/redactor.js';
import { Stitcher } from '../../src/session/stitcher.js';
import { BatchedWriter } from '../../src/store/batched-writer.js';
import { RecordingWriter } from '../../src/store/recording-store.js';
import { decode } from '../../src/store/codec.js';
import { MemoryBackend } from './memory-backend.js';

const T0 = 1_700_000_000_000_000;
const empty = { bytes: new Uint8Array(0), size: 0, truncated: false };

function exchange(i: number, connection = `c${i}`): [TapHttpRequest, TapHttpExchange] {
  const headers: [string, string][] = [['User-Agent', `ua-${i}`]];
  const t = T0 + i * 1000;
  const request: TapHttpRequest = { exchangeId: `x${i}`, connectionId: connection, clientAddress: '127.0.0.1', t, method: 'GET', url: `/item/${i}`, headers };
  return [
    request,
    {
      type: 'http',
      t,
      exchangeId: request.exchangeId,
      connectionId: connection,
      clientAddress: '127.0.0.1',
      request: { method: 'GET', url: request.url, httpVersion: '1.1', headers, body: empty },
      response: { status: 200, statusMessage: 'OK', headers: [], body: { bytes: new Uint8Array(100), size: 100, truncated: false } },
      timing: { start: t, firstByte: t + 10, end: t + 20 },
    },
  ];
}

/** A stitcher that chokes on one exchange, as a bug would. */
class ChokingStitcher extends Stitcher {
  override httpExchange(x: TapHttpExchange): ReturnType<Stitcher['httpExchange']> {
    if (x.exchangeId === 'x13') throw new Error('choked');
    return super.httpExchange(x);
  }
}

function setup(limits = {}, backend = new MemoryBackend()) {
  const logs: string[] = [];
  const writer = new RecordingWriter(new BatchedWriter(backend));
  const recorder = new Recorder(new ChokingStitcher({}), new Redactor([]), writer, (l) => logs.push(l), limits);
  /** After the recorder has stitched all it was given, and the writer has stored it. */
  const stitched = async (): Promise<void> => {
    await vi.waitFor(() => expect(recorder.progress().queued).toBe(0));
    await writer.flush();
  };
  return { recorder, backend, logs, stitched };
}

describe('Recorder', () => {
  it('returns from each tap at once and stores the events later, off the caller’s turn', async () => {
    const { recorder, backend } = setup();
    for (let i = 0; i < 3; i++) {
      const [req, x] = exchange(i, 'c1');
      recorder.httpRequest(req);
      recorder.httpExchange(x);
    }
    expect(backend.batches).toBe(0); // nothing was written on the caller's turn
    expect(recorder.progress().queued).toBe(6);
    await recorder.flush();
    expect(backend.events()).toBe(3);
    expect(backend.count('s!')).toBe(1);
    expect(recorder.counts()).toMatchObject({ sessions: 1, exchanges: 3, bytes: 300, dropped: 0 });
  });

  it('bounds its queue: past the limit new events are dropped, counted and logged once', async () => {
    const { recorder, backend, logs } = setup({ maxQueued: 4 });
    for (let i = 0; i < 10; i++) recorder.httpExchange(exchange(i)[1]);
    expect(recorder.counts()).toMatchObject({ exchanges: 10, dropped: 6 });
    await recorder.flush();
    expect(backend.events()).toBe(4);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/behind; dropping events, traffic goes on/);
  });

  it('bounds the bytes it holds as well as the count', async () => {
    const { recorder } = setup({ maxQueuedBytes: 2000 });
    for (let i = 0; i < 10; i++) recorder.httpExchange(exchange(i)[1]);
    expect(recorder.counts().dropped).toBeGreaterThan(0);
    expect(recorder.progress().queued).toBeLessThan(10);
  });

  it('rewrites a growing session record at most every sessionWriteMs, and at flush', async () => {
    const { recorder, backend, stitched } = setup({ gatherMs: 0, sessionWriteMs: 60_000 });
    const storedCount = (): number | undefined => {
      const key = [...backend.data.keys()].find((k) => k.startsWith('s!'));
      return key === undefined ? undefined : decode<{ eventCount: number }>(backend.data.get(key)!).eventCount;
    };
    recorder.httpExchange(exchange(1, 'c1')[1]);
    await vi.waitFor(() => expect(storedCount()).toBe(1)); // a new session is written at once
    for (let i = 2; i <= 5; i++) recorder.httpExchange(exchange(i, 'c1')[1]);
    await stitched();
    expect(backend.events()).toBe(5); // events go in as they come...
    expect(storedCount()).toBe(1); // ...the session record waits
    await recorder.flush();
    expect(storedCount()).toBe(5);
  });

  it('counts an event the stitcher cannot take as dropped and carries on', async () => {
    const { recorder, backend, logs } = setup();
    recorder.httpExchange(exchange(13)[1]);
    recorder.httpExchange(exchange(14)[1]);
    await recorder.flush();
    expect(recorder.counts().dropped).toBe(1);
    expect(backend.events()).toBe(1);
    expect(logs[0]).toMatch(/could not be stitched \(choked\)/);
  });
});
