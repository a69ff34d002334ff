import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, retryAfter } from '../../../src/report/webhook/post.js';
import { Receiver } from './receiver.js';

describe('postJson', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('delivers a JSON body', async () => {
    receiver = await Receiver.start('json');
    const outcome = await postJson(receiver.url, { hello: 'world' });
    expect(outcome).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(receiver.received[0]!.body).toEqual({ hello: 'world' });
  });

  it('retries 429 and 5xx with backoff until it is delivered', async () => {
    receiver = await Receiver.start('json');
    receiver.answer({ status: 429, headers: { 'retry-after': '0' } }, { status: 503 }, { status: 502 });
    const outcome = await postJson(receiver.url, { n: 1 }, { baseDelayMs: 1 });
    expect(outcome).toMatchObject({ ok: true, attempts: 4, status: 200 });
    expect(receiver.received).toHaveLength(4);
  });

  it('does not retry a request the service rejected', async () => {
    receiver = await Receiver.start('json');
    receiver.answer({ status: 400, body: '{"message":"Invalid Form Body"}' });
    const outcome = await postJson(receiver.url, {}, { baseDelayMs: 1 });
    expect(outcome).toMatchObject({ ok: false, attempts: 1, status: 400 });
    expect(outcome.error).toContain('Invalid Form Body');
  });

  it('gives up at once when Retry-After points past its time limit', async () => {
    receiver = await Receiver.start('json');
    receiver.answer({ status: 429, headers: { 'retry-after': '60' } });
    const outcome = await postJson(receiver.url, {}, { deadlineMs: 5_000, baseDelayMs: 1 });
    expect(outcome).toMatchObject({ ok: false, attempts: 1, status: 429 });
    expect(outcome.error).toMatch(/next try \(in 60000ms\) would pass the 5000ms limit/);
    expect(receiver.received).toHaveLength(1);
  });

  it('stops after its attempts when nothing listens', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    const outcome = await postJson(`http://127.0.0.1:${port}/hook`, {}, { baseDelayMs: 1, maxAttempts: 3 });
    expect(outcome).toMatchObject({ ok: false, attempts: 3 });
    expect(outcome.error).toBe('ECONNREFUSED');
  });

  it('bounds an attempt when the service never answers', async () => {
    receiver = await Receiver.start('json');
    receiver.answer({ status: 0, hang: true }, { status: 0, hang: true });
    const outcome = await postJson(receiver.url, {}, { attemptTimeoutMs: 150, maxAttempts: 2, baseDelayMs: 1 });
    expect(outcome).toMatchObject({ ok: false, attempts: 2 });
    expect(outcome.error).toContain('no answer within 150ms');
  });
});

describe('retryAfter', () => {
  it('reads seconds, an HTTP date, or Discord body retry_after', () => {
    expect(retryAfter('2')).toBe(2000);
    expect(retryAfter('0.25')).toBe(250);
    expect(retryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
    expect(retryAfter(null, '{"retry_after": 1.5, "global": false}')).toBe(1500);
    expect(retryAfter(null, 'busy')).toBe(0);
  });
});
