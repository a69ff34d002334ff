import type { Event, HttpEvent, WsMessageEvent } from '../model/event.js';
import { fromExchangeTable, toExchangeTable, type ExchangeTable } from './exchange-table.js';
import { fromMessageTable, toMessageTable, type MessageTable } from './message-table.js';

type Table = ExchangeTable | MessageTable;

/**
 * What a chunk's array holds: events, then at most one table of its HTTP exchanges and one of its
 * WebSocket messages. Tables are always last, so a reader finds them without a scan.
 */
export type ChunkItem = Event | Table;

/** Fewer events of a kind than this stay events: a table of one costs more than it saves. */
const MIN_ROWS = 2;

/** The chunk's events with its exchanges and its messages (two or more of a kind) moved into tables at the end. */
export function tabulated(events: readonly Event[]): readonly ChunkItem[] {
  const exchanges: HttpEvent[] = [];
  const messages: WsMessageEvent[] = [];
  const rest: ChunkItem[] = [];
  for (const e of events) {
    if (e.type === 'http') exchanges.push(e);
    else if (e.type === 'ws-message') messages.push(e);
    else rest.push(e);
  }
  if (exchanges.length < MIN_ROWS && messages.length < MIN_ROWS) return events;
  if (exchanges.length < MIN_ROWS) rest.push(...exchanges);
  if (messages.length < MIN_ROWS) rest.push(...messages);
  if (exchanges.length >= MIN_ROWS) rest.push(toExchangeTable(exchanges));
  if (messages.length >= MIN_ROWS) rest.push(toMessageTable(messages));
  return rest;
}

/** A chunk's events in seq order, those of its tables among them. */
export function untabulated(items: readonly ChunkItem[]): readonly Event[] {
  let end = items.length;
  while (end > 0 && 'table' in items[end - 1]!) end--;
  if (end === items.length) return items as readonly Event[];
  const tables = (items.slice(end) as Table[]).map(fromTable);
  if (end === 0 && tables.length === 1) return tables[0]!;
  return (items.slice(0, end) as Event[]).concat(...tables).sort((a, b) => a.seq - b.seq);
}

function fromTable(table: Table): Event[] {
  return table.table === 'http' ? fromExchangeTable(table) : fromMessageTable(table);
}
