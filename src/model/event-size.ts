import type { Event, HttpResponse } from './event.js';
import type { RawHeaders } from './headers.js';

/** An event before its session gave it a seq (what the proxy reports), or after. */
export type Unsequenced = Event extends infer E ? (E extends Event ? Omit<E, 'seq'> : never) : never;

/** What the fields besides bodies, URLs and headers take: ids, times, the objects themselves. */
const FIELDS = 256;

/**
 * About what an event weighs, held in memory or encoded: its bodies, URL and headers, plus a
 * fixed allowance for the rest. Budgets (the recorder's queue, the store's pending writes) count
 * this instead of encoding to find out; string lengths stand for their bytes, near enough.
 */
export function approximateSize(e: Unsequenced): number {
  switch (e.type) {
    case 'http':
      return FIELDS + e.request.url.length + headerBytes(e.request.headers) + e.request.body.bytes.byteLength + responseBytes(e.response);
    case 'ws-open':
      return FIELDS + e.url.length + headerBytes(e.headers) + responseBytes(e.response);
    case 'ws-message':
      return FIELDS + e.data.bytes.byteLength;
    case 'ws-close':
      return FIELDS + e.reason.length;
  }
}

export function headerBytes(headers: RawHeaders): number {
  let n = 0;
  for (const [name, value] of headers) n += name.length + value.length + 4;
  return n;
}

function responseBytes(response: HttpResponse | undefined): number {
  return response ? headerBytes(response.headers) + response.body.bytes.byteLength : 0;
}
