import type { Event, WsMessageEvent } from '../model/event.js';

/**
 * A chunk's WebSocket messages, stored as one table instead of one object each. A chat session's
 * chunk is mostly small messages of one shape, and msgpackr's cost is per object and per field
 * (about 1 µs for a message's ten values in a loop, twice that in the proxy under load: more than
 * recording's every other step together); a table costs the chunk a few values whatever its
 * length, and reads back faster too.
 *
 * `rows` holds one fixed-width row per message, in seq order, little-endian:
 *   seq f64 | t f64 | size f64 | stored bytes u32 | index into `wsIds` u16 | flags u8
 * and `bytes` every message's stored bytes, one after the other.
 */
export interface MessageTable {
  table: 'ws-message';
  wsIds: string[];
  rows: Uint8Array;
  bytes: Uint8Array;
}

/** What a chunk's array holds: events, and at most one table of its messages. */
export type ChunkItem = Event | MessageTable;

const ROW = 31;
const SERVER = 1;
const BINARY = 2;
const TRUNCATED = 4;

/** The chunk's events with their messages (two or more) moved into a table at the end. */
export function tabulated(events: readonly Event[]): readonly ChunkItem[] {
  const messages: WsMessageEvent[] = [];
  const rest: ChunkItem[] = [];
  for (const e of events) {
    if (e.type === 'ws-message') messages.push(e);
    else rest.push(e);
  }
  if (messages.length < 2) return events;
  rest.push(toTable(messages));
  return rest;
}

/** A chunk's events in seq order, its table's messages (the table is its last item) among them. */
export function untabulated(items: readonly ChunkItem[]): readonly Event[] {
  const last = items.at(-1);
  if (last === undefined || !('table' in last)) return items as readonly Event[];
  const messages = fromTable(last);
  if (items.length === 1) return messages;
  return (items.slice(0, -1) as Event[]).concat(messages).sort((a, b) => a.seq - b.seq);
}

function toTable(messages: readonly WsMessageEvent[]): MessageTable {
  const wsIds: string[] = [];
  const index = new Map<string, number>();
  let stored = 0;
  for (const m of messages) stored += m.data.bytes.byteLength;
  const rows = new Uint8Array(messages.length * ROW);
  const view = new DataView(rows.buffer);
  const bytes = new Uint8Array(stored);
  let at = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    let ws = index.get(m.wsId);
    if (ws === undefined) {
      ws = wsIds.push(m.wsId) - 1;
      index.set(m.wsId, ws);
    }
    const row = i * ROW;
    view.setFloat64(row, m.seq, true);
    view.setFloat64(row + 8, m.t, true);
    view.setFloat64(row + 16, m.data.size, true);
    view.setUint32(row + 24, m.data.bytes.byteLength, true);
    view.setUint16(row + 28, ws, true);
    view.setUint8(row + 30, (m.direction === 'server' ? SERVER : 0) | (m.opcode === 'binary' ? BINARY : 0) | (m.data.truncated ? TRUNCATED : 0));
    bytes.set(m.data.bytes, at);
    at += m.data.bytes.byteLength;
  }
  return { table: 'ws-message', wsIds, rows, bytes };
}

function fromTable({ wsIds, rows, bytes }: MessageTable): WsMessageEvent[] {
  const view = new DataView(rows.buffer, rows.byteOffset, rows.byteLength);
  const count = rows.byteLength / ROW;
  const messages = new Array<WsMessageEvent>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const row = i * ROW;
    const length = view.getUint32(row + 24, true);
    const flags = view.getUint8(row + 30);
    messages[i] = {
      type: 'ws-message',
      seq: view.getFloat64(row, true),
      t: view.getFloat64(row + 8, true),
      wsId: wsIds[view.getUint16(row + 28, true)]!,
      direction: flags & SERVER ? 'server' : 'client',
      opcode: flags & BINARY ? 'binary' : 'text',
      data: { bytes: bytes.subarray(at, at + length), size: view.getFloat64(row + 16, true), truncated: (flags & TRUNCATED) !== 0 },
    };
    at += length;
  }
  return messages;
}
