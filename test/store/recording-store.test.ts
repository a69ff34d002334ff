import { mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event, Session } from '../../src/model/index.js';
import type { Unsequenced } from '../../src/model/event-size.js';
import { RecordingStore } from '../../src/store/recording-store.js';
import { LevelBackend } from '../../src/store/level-backend.js';
import { eventKey } from '../../src/store/keys.js';
import { Unpackr } from 'msgpackr';
import { untabulated, type ChunkItem } from '../../src/store/chunk-tables.js';
import { decode, encode, encodeChunk } from '../../src/store/codec.js';
import { FORMAT_VERSION } from '../../src/store/format.js';

const meta = {
  name: 'r1',
  target: 'http://127.0.0.1:1',
  startedAt: 1_700_000_000_000_000,
  counts: { sessions: 0, exchanges: 0, wsConnections: 0, wsMessages: 0, dropped: 0, bytes: 0 },
  options: { maxBody: 1024, sessionKeys: [], redact: [] },
};

function session(id: string, startedAt: number): Session {
  return {
    id,
    startedAt,
    endedAt: startedAt,
    tags: ['anonymous'],
    client: { address: '127.0.0.1' },
    groupedBy: { by: 'connection' },
    eventCount: 0,
    links: [],
  };
}

function message(seq: number, data: Uint8Array): Event {
  return { type: 'ws-message', seq, t: 1, wsId: 'w', direction: 'client', opcode: 'binary', data: { bytes: data, size: data.length, truncated: false } };
}

function close(seq: number): Event {
  return { type: 'ws-close', seq, t: 1, wsId: 'w', code: 1000, reason: '', by: 'client' };
}

const body = (text: string) => ({ bytes: Buffer.from(text), size: text.length, truncated: false });

/** Every shape an event takes: a chunk mixes them, optional parts present and absent. */
function shapes(seq0: number): Event[] {
  const request = { method: 'POST', url: '/api/auth/login', httpVersion: '1.1', headers: [['content-type', 'application/json']] as [string, string][], body: body('{"user":"ada"}') };
  const timing = { start: 1, firstByte: 2, end: 3 };
  const base = { t: 1, connectionId: 'c1', clientAddress: '127.0.0.1' };
  const events: Unsequenced[] = [
    { ...base, type: 'http', exchangeId: 'x1', request, response: { status: 200, statusMessage: 'OK', headers: [['set-cookie', 'sid=1']], body: body('{"token":"t"}') }, timing },
    { ...base, type: 'http', exchangeId: 'x2', request, error: { code: 'ECONNREFUSED', message: 'refused' }, timing: { start: 1, end: 2 } },
    { ...base, type: 'ws-open', wsId: 'w1', url: '/ws?token=t', headers: [], protocols: ['chat'], protocol: 'chat', status: 101 },
    { ...base, type: 'ws-open', wsId: 'w2', url: '/ws', headers: [], protocols: [], protocol: '', status: 403, response: { status: 403, statusMessage: 'Forbidden', headers: [], body: body('no') } },
    { type: 'ws-message', t: 2, wsId: 'w1', direction: 'server', opcode: 'text', data: body('{"type":"hello"}') },
    { type: 'ws-close', t: 3, wsId: 'w1', code: 1000, reason: 'bye', by: 'client' },
  ];
  return events.map((e, i) => ({ ...e, seq: seq0 + i }) as Event);
}

describe('RecordingStore', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'reprise-store-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads sessions back in start order and events in seq order, bytes intact', async () => {
    const store = await RecordingStore.create(root, meta);
    const writer = store.writer();
    writer.putSession(session('b', 2_000));
    writer.putSession(session('a', 3_000));
    writer.putSession(session('c', 1_000));
    for (const seq of [10, 2, 1]) writer.putEvent('a', message(seq, new Uint8Array([seq, 0, 255])));
    await writer.flush();
    expect((await collect(store.sessions())).map((s) => s.id)).toEqual(['c', 'b', 'a']);
    const events = await collect(store.events('a'));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 10]);
    const first = events[0]!;
    expect(first.type === 'ws-message' && Buffer.from(first.data.bytes)).toEqual(Buffer.from([1, 0, 255]));
    await store.close();
  });

  it('writes a turn of events as one value and reads overlapping chunks back in seq order', async () => {
    const store = await RecordingStore.create(root, meta);
    const writer = store.writer();
    for (const seq of [1, 5, 3, 9]) writer.putEvent('a', message(seq, new Uint8Array([seq])));
    await writer.flush();
    // An exchange that ended late lands in a later chunk with a lower seq than the one before.
    for (const seq of [2, 10, 4, 7]) writer.putEvent('a', message(seq, new Uint8Array([seq])));
    for (let seq = 11; seq < 100; seq++) writer.putEvent('a', message(seq, new Uint8Array([seq])));
    writer.putEvent('b', message(6, new Uint8Array([6])));
    await writer.flush();
    expect(writer.batched.stats()).toMatchObject({ written: 98, dropped: 0 });
    const events = await collect(store.events('a'));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 7, 9, 10, ...Array.from({ length: 89 }, (_, i) => i + 11)]);
    expect(events.map((e) => e.type === 'ws-message' && e.data.bytes[0])).toEqual(events.map((e) => e.seq));
    expect((await collect(store.events('b'))).map((e) => e.seq)).toEqual([6]);
    await store.close();
  });

  it('reads back chunks of mixed shapes exactly, each value decodable on its own and smaller than plain maps', async () => {
    const store = await RecordingStore.create(root, meta);
    const writer = store.writer();
    const a = shapes(0);
    // Another session's chunk meets the shapes in another order, and one shape that is its own.
    const b = [...shapes(0).reverse().map((e, i) => ({ ...e, seq: i })), Object.assign(close(6), { extra: 1 })];
    for (const e of a) writer.putEvent('a', e);
    for (const e of b) writer.putEvent('b', e);
    await writer.flush();
    expect(await collect(store.events('a'))).toEqual(a);
    expect(await collect(store.events('b'))).toEqual(b);
    await store.close();

    const backend = await LevelBackend.open(RecordingStore.dbDir(join(root, 'r1')), { createIfMissing: false });
    const stored = await backend.get(eventKey('a', 0));
    await backend.close();
    const value = new Unpackr({ mapsAsObjects: true }).unpack(stored!) as ChunkItem[];
    expect(value.at(-1)).toMatchObject({ table: 'http' });
    expect(untabulated(value)).toEqual(a);
    expect(stored!.byteLength).toBeLessThan(encode(a).byteLength);
  });

  it('reads back a chunk holding more shapes than msgpackr keeps records for', () => {
    const events = Array.from({ length: 100 }, (_, i) => ({ ...close(i), [`field${i}`]: i }) as Event);
    expect(decode(encodeChunk(events))).toEqual(events);
  });

  it("stores a chunk's messages as one table and reads them back exactly, in seq order among the other events", async () => {
    const store = await RecordingStore.create(root, meta);
    const writer = store.writer();
    const events: Event[] = [];
    for (let seq = 0; seq < 40; seq++) {
      if (seq % 10 === 0) {
        events.push(close(seq));
        continue;
      }
      const bytes = seq % 7 === 0 ? new Uint8Array(0) : Buffer.from(`{"n":${seq},"text":"héllo"}`);
      events.push({
        type: 'ws-message',
        seq,
        t: 1_764_795_331_000_000.25 + seq * 37.5,
        wsId: `w${seq % 3}`,
        direction: seq % 2 ? 'server' : 'client',
        opcode: seq % 4 === 1 ? 'binary' : 'text',
        data: { bytes, size: bytes.length + (seq % 5 === 0 ? 1_000_000 : 0), truncated: seq % 5 === 0 },
      });
    }
    for (const e of events) writer.putEvent('a', e);
    await writer.flush();
    const read = await collect(store.events('a'));
    expect(read.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(read.map((e) => (e.type === 'ws-message' ? { ...e, data: { ...e.data, bytes: Buffer.from(e.data.bytes) } } : e))).toEqual(
      events.map((e) => (e.type === 'ws-message' ? { ...e, data: { ...e.data, bytes: Buffer.from(e.data.bytes) } } : e)),
    );
    await store.close();

    const backend = await LevelBackend.open(RecordingStore.dbDir(join(root, 'r1')), { createIfMissing: false });
    const stored = await backend.get(eventKey('a', 0));
    await backend.close();
    const value = new Unpackr({ mapsAsObjects: true }).unpack(stored!) as { type?: string; table?: string; wsIds?: string[] }[];
    expect(value.filter((item) => item.type === 'ws-close')).toHaveLength(4);
    expect(value.at(-1)).toMatchObject({ table: 'ws-message', wsIds: ['w1', 'w2', 'w0'] });
    expect(stored!.byteLength).toBeLessThan(encode(events).byteLength / 2);
  });

  it('reopens with its metadata and refuses to create over an existing recording', async () => {
    const store = await RecordingStore.create(root, meta);
    await store.updateMeta({ endedAt: meta.startedAt + 5 });
    await store.close();
    await expect(RecordingStore.create(root, meta)).rejects.toThrow(/already exists/);
    const again = await RecordingStore.open(root, 'r1');
    expect(again.meta.endedAt).toBe(meta.startedAt + 5);
    expect(again.meta.version).toBe(FORMAT_VERSION);
    await again.close();
  });

  it('reads a version 1 store (one event per value) and refuses a store newer than it reads', async () => {
    const old = await RecordingStore.create(root, { ...meta, name: 'v1' });
    await old.updateMeta({ version: 1 });
    await old.close();
    const backend = await LevelBackend.open(RecordingStore.dbDir(join(root, 'v1')), { createIfMissing: false });
    await backend.batch([2, 1].map((seq) => ({ type: 'put' as const, key: eventKey('a', seq), value: encode(message(seq, new Uint8Array([seq]))) })));
    await backend.close();
    const v1 = await RecordingStore.open(root, 'v1');
    expect((await collect(v1.events('a'))).map((e) => e.seq)).toEqual([1, 2]);
    await v1.updateMeta({ version: FORMAT_VERSION + 1 });
    await v1.close();
    await expect(RecordingStore.open(root, 'v1')).rejects.toMatchObject({ code: 'REPRISE_STORE_TOO_NEW' });
  });

  it('names an unknown recording, a locked one and a corrupt one in one clear error each', async () => {
    await expect(RecordingStore.open(root, 'nope')).rejects.toMatchObject({ code: 'REPRISE_NO_RECORDING' });
    const store = await RecordingStore.create(root, meta);
    await expect(RecordingStore.open(root, 'r1')).rejects.toMatchObject({ code: 'REPRISE_RECORDING_ACTIVE' });
    await store.close();
    const db = RecordingStore.dbDir(join(root, 'r1'));
    for (const file of await readdir(db)) {
      if (file.startsWith('MANIFEST') || file === 'CURRENT') await writeFile(join(db, file), 'garbage');
    }
    await expect(RecordingStore.open(root, 'r1')).rejects.toMatchObject({ code: 'REPRISE_STORE_CORRUPT' });
  });

  it('drops and counts writes when the store fails, without throwing at the caller', async () => {
    const store = await RecordingStore.create(root, meta);
    const errors: Error[] = [];
    const writer = store.writer({ onFirstError: (e) => errors.push(e) });
    await store.close();
    for (let i = 0; i < 5; i++) expect(writer.putEvent('a', message(i, new Uint8Array(4)))).toBe(true);
    await writer.flush();
    expect(writer.batched.stats()).toMatchObject({ dropped: 5, written: 0, pending: 0, pendingBytes: 0 });
    expect(errors).toHaveLength(1);
  });

  it('bounds pending bytes: entries over the limit are dropped at put', async () => {
    const store = await RecordingStore.create(root, meta);
    const writer = store.writer({ maxPendingBytes: 1000 });
    const results = Array.from({ length: 10 }, (_, i) => writer.putEvent('a', message(i, new Uint8Array(300))));
    expect(results.filter(Boolean).length).toBeLessThan(10);
    await writer.flush();
    const stats = writer.batched.stats();
    expect(stats.written + stats.dropped).toBe(10);
    expect(stats.dropped).toBe(results.filter((r) => !r).length);
    await store.close();
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
