import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../src/model/event.js';
import type { ExchangeResult } from '../../src/model/run.js';
import { DEFAULT_HEADERS, fromExchange, fromRecorded, parseHeaderList } from '../../src/diff/response-model.js';

const options = { headers: DEFAULT_HEADERS, origin: 'http://127.0.0.1:8001' };

function exchange(over: Partial<ExchangeResult>): ExchangeResult {
  return { seq: 1, method: 'GET', url: '/x', bodySize: 0, sentAt: 0, ...over };
}

describe('response model', () => {
  it('keeps the chosen headers only, cookie names without values, Location without the own origin', () => {
    const model = fromExchange(
      exchange({
        status: 302,
        headers: [
          ['Content-Type', 'application/json'],
          ['Date', 'Wed, 01 May 2024 10:00:00 GMT'],
          ['Server', 'aiohttp'],
          ['ETag', '"abc"'],
          ['Set-Cookie', 'sid=abc123; HttpOnly'],
          ['Set-Cookie', 'csrf=xyz; Path=/'],
          ['Location', 'http://127.0.0.1:8001/login?next=/'],
        ],
      }),
      options,
    );
    expect(model.status).toBe(302);
    expect([...model.headers]).toEqual([
      ['content-type', 'application/json'],
      ['set-cookie', 'csrf, sid'],
      ['location', '/login?next=/'],
    ]);
  });

  it('keeps a redirect to another host as it is', () => {
    const model = fromExchange(exchange({ status: 302, headers: [['location', 'https://id.example.com/auth']] }), options);
    expect(model.headers.get('location')).toBe('https://id.example.com/auth');
  });

  it('names a missing response by its error, and marks a body cut short', () => {
    expect(fromExchange(exchange({ error: { code: 'ECONNRESET', message: 'reset' } }), options).status).toBe('error ECONNRESET');
    expect(fromExchange(exchange({ status: 200, body: Buffer.from('ab'), bodySize: 10 }), options).truncated).toBe(true);
  });

  it('reads a recorded event the same way', () => {
    const event = {
      type: 'http',
      seq: 1,
      t: 0,
      response: { status: 200, statusMessage: 'OK', headers: [['content-type', 'text/plain']], body: { bytes: Buffer.from('hi'), size: 2, truncated: false } },
    } as unknown as HttpEvent;
    const model = fromRecorded(event, options);
    expect(model).toMatchObject({ status: 200, truncated: false });
    expect(model.headers.get('content-type')).toBe('text/plain');
  });
});

describe('parseHeaderList', () => {
  it('replaces the default set, or adjusts it with + and -', () => {
    expect(parseHeaderList('Content-Type, X-Api-Version')).toEqual(['content-type', 'x-api-version']);
    expect(parseHeaderList('+etag,-cache-control')).toEqual(['content-type', 'set-cookie', 'location', 'etag']);
  });

  it('refuses a mix of both and names that are not header names', () => {
    expect(() => parseHeaderList('etag,+date')).toThrow(/either list/);
    expect(() => parseHeaderList('bad name')).toThrow(/bad header name/);
    expect(() => parseHeaderList(' , ')).toThrow(/comma-separated/);
  });
});
