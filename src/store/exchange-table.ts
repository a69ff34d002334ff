import type { Body, HttpEvent, HttpResponse } from '../model/event.js';
import type { RawHeaders } from '../model/headers.js';

/**
 * A chunk's HTTP exchanges, stored as one table instead of one object each. msgpackr's cost is per
 * object and per field: an exchange is six objects and about thirty strings, most of which
 * (header names and values, the URL, the connection) repeat from one exchange to the next. The
 * table writes each distinct string once and every field as a number, which takes half the time
 * to encode and a third of the bytes.
 *
 * `values` holds each exchange's fields in a fixed order, strings as indexes into `strings`:
 *   seq, t, exchangeId, connectionId, clientAddress, method, url, httpVersion, request headers,
 *   request body size, truncated (0/1), timing start, first byte (-1: none), end,
 *   status (-1: no response, and nothing more of it) [statusMessage, headers, body size, truncated],
 *   error (0/1) [code, message]
 * where headers are a count and then name, value, name, value... `bodies` holds the stored bytes
 * of each request body and response body, in the same order.
 */
export interface ExchangeTable {
  table: 'http';
  strings: string[];
  values: number[];
  bodies: Uint8Array[];
}

export function toExchangeTable(exchanges: readonly HttpEvent[]): ExchangeTable {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const values: number[] = [];
  const bodies: Uint8Array[] = [];
  const text = (s: string): void => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    values.push(i);
  };
  const headers = (list: RawHeaders): void => {
    values.push(list.length);
    for (const [name, value] of list) {
      text(name);
      text(value);
    }
  };
  const body = (b: Body): void => {
    bodies.push(b.bytes);
    values.push(b.size, b.truncated ? 1 : 0);
  };
  for (const x of exchanges) {
    const { request, response, error, timing } = x;
    values.push(x.seq, x.t);
    text(x.exchangeId);
    text(x.connectionId);
    text(x.clientAddress);
    text(request.method);
    text(request.url);
    text(request.httpVersion);
    headers(request.headers);
    body(request.body);
    values.push(timing.start, timing.firstByte ?? -1, timing.end);
    if (response) {
      values.push(response.status);
      text(response.statusMessage);
      headers(response.headers);
      body(response.body);
    } else {
      values.push(-1);
    }
    if (error) {
      values.push(1);
      text(error.code);
      text(error.message);
    } else {
      values.push(0);
    }
  }
  return { table: 'http', strings, values, bodies };
}

export function fromExchangeTable({ strings, values, bodies }: ExchangeTable): HttpEvent[] {
  let at = 0;
  let nextBody = 0;
  const num = (): number => values[at++]!;
  const text = (): string => strings[values[at++]!]!;
  const headers = (): RawHeaders => {
    const list: RawHeaders = new Array(num());
    for (let i = 0; i < list.length; i++) list[i] = [text(), text()];
    return list;
  };
  const body = (): Body => ({ bytes: bodies[nextBody++]!, size: num(), truncated: num() === 1 });
  const exchanges: HttpEvent[] = [];
  while (at < values.length) {
    const seq = num();
    const t = num();
    const exchangeId = text();
    const connectionId = text();
    const clientAddress = text();
    const request = { method: text(), url: text(), httpVersion: text(), headers: headers(), body: body() };
    const start = num();
    const firstByte = num();
    const timing = firstByte === -1 ? { start, end: num() } : { start, firstByte, end: num() };
    const x: HttpEvent = { type: 'http', seq, t, exchangeId, connectionId, clientAddress, request, timing };
    const status = num();
    if (status !== -1) {
      const response: HttpResponse = { status, statusMessage: text(), headers: headers(), body: body() };
      x.response = response;
    }
    if (num() === 1) x.error = { code: text(), message: text() };
    exchanges.push(x);
  }
  return exchanges;
}
