import type { WsMessageEvent } from '../model/event.js';

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

const ROW = 31;
const SERVER = 1;
const BINARY = 2;
const TRUNCATED = 4;

export function toMessageTable(messages: readonly WsMessageEvent[]): MessageTable {
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

export function fromMessageTable({ wsIds, rows, bytes }: MessageTable): WsMessageEvent[] {
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
