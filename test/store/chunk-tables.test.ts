import { describe, expect, it } from 'vitest';
import type { Event, HttpEvent } from '../../src/model/index.js';
import { tabulated, untabulated, type ChunkItem } from '../../src/store/chunk-tables.js';
import { decode, encodeChunk } from '../../src/store/codec.js';

const T = 1_764_795_331_000_000.5;
const body = (text: string, size = Buffer.byteLength(text)) => ({ bytes: Buffer.from(text), size, truncated: size > Buffer.byteLength(text) });

function exchange(seq: number, extra: Partial<HttpEvent> = {}): HttpEvent {
  return {
    type: 'http',
    seq,
    t: T + seq * 12.25,
    exchangeId: `x${seq}`,
    connectionId: 'c1',
    clientAddress: '::1',
    request: { method: 'GET', url: `/api/me?q=héllo&n=${seq}`, httpVersion: '1.1', headers: [['Host', 'h'], ['Cookie', 'a=1'], ['Cookie', 'b=2']], body: body('') },
    response: { status: 200, statusMessage: 'OK', headers: [['Content-Type', 'application/json']], body: body('{"ok":true}') },
    timing: { start: T + seq * 12.25, firstByte: T + seq * 12.25 + 100.5, end: T + seq * 12.25 + 120 },
    ...extra,
  };
}

/** Every shape an exchange takes: no response, response and error, no first byte, no headers, binary and truncated bodies. */
function exchanges(): HttpEvent[] {
  const { response: _none, ...refused } = exchange(1, { error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }, timing: { start: T, end: T + 3 } });
  return [
    refused as HttpEvent,
    exchange(2, {
      response: { status: 502, statusMessage: '', headers: [], body: body('{"error":"bad gateway"}') },
      error: { code: 'ECONNRESET', message: 'socket hang up' },
    }),
    exchange(3, { request: { method: 'POST', url: '/upload', httpVersion: '1.0', headers: [], body: { bytes: new Uint8Array([0, 255, 7]), size: 1 << 20, truncated: true } } }),
    exchange(4),
    exchange(5),
  ];
}

const close = (seq: number): Event => ({ type: 'ws-close', seq, t: T, wsId: 'w1', code: 1000, reason: 'bye', by: 'client' });
const message = (seq: number): Event => ({ type: 'ws-message', seq, t: T + seq, wsId: 'w1', direction: 'server', opcode: 'text', data: body(`{"n":${seq}}`) });

/** Through msgpack and back, as the store does. */
const stored = (items: readonly ChunkItem[]): ChunkItem[] => decode<ChunkItem[]>(encodeChunk(items));
const comparable = (events: readonly Event[]) => JSON.parse(JSON.stringify(events, (_k, v) => (v instanceof Uint8Array || v?.type === 'Buffer' ? Buffer.from(v.data ?? v).toString('hex') : v)));

describe('chunk tables', () => {
  it('stores a chunk’s exchanges as one table and reads every shape back exactly', () => {
    const events = exchanges();
    const items = stored(tabulated(events));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ table: 'http' });
    expect(comparable(untabulated(items))).toEqual(comparable(events));
  });

  it('writes a string once however often the exchanges repeat it, in far fewer bytes than records', () => {
    const events = Array.from({ length: 32 }, (_, i) => exchange(i));
    const items = tabulated(events);
    const table = items[0] as { strings: string[] };
    expect(table.strings.filter((s) => s === 'application/json')).toHaveLength(1);
    expect(table.strings.filter((s) => s === 'Cookie')).toHaveLength(1);
    expect(encodeChunk(items).byteLength).toBeLessThan((encodeChunk(events).byteLength * 2) / 3);
  });

  it('puts both tables last and reads the chunk back in seq order', () => {
    const events: Event[] = [exchange(0), message(1), close(2), exchange(3), message(4), message(5), exchange(6)];
    const items = stored(tabulated(events));
    expect(items.map((i) => ('table' in i ? i.table : i.type))).toEqual(['ws-close', 'http', 'ws-message']);
    expect(comparable(untabulated(items))).toEqual(comparable(events));
  });

  it('leaves a chunk with fewer than two of each kind as it is', () => {
    const events: Event[] = [exchange(0), message(1), close(2)];
    expect(tabulated(events)).toBe(events);
    const one = stored(tabulated([exchange(0), message(1), message(2)]));
    expect(one.map((i) => ('table' in i ? i.table : i.type))).toEqual(['http', 'ws-message']);
    expect(untabulated(one).map((e) => e.seq)).toEqual([0, 1, 2]);
  });
});
