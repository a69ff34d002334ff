import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import { VARIANT_A, VARIANT_B } from '../../src/demo/variants.js';

async function login(backend: ChatBackend, username: string): Promise<{ token: string; user: Record<string, unknown> }> {
  const res = await fetch(`${backend.url}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username, password: 'secret' }) });
  return (await res.json()) as { token: string; user: Record<string, unknown> };
}

/** Opens a guest chat and resolves with it once its first frame (ready or queued) arrived. */
function guest(backend: ChatBackend, frames: string[], label: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${backend.url.replace('http', 'ws')}/ws/chat`);
    let first = true;
    ws.on('message', (d) => {
      const type = (JSON.parse(d.toString()) as { type: string }).type;
      frames.push(`${label}:${type}`);
      if (first) {
        first = false;
        resolve(ws);
      }
    });
    ws.on('error', reject);
  });
}

function reply(ws: WebSocket, text: string): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on('message', (d) => {
      const frame = JSON.parse(d.toString()) as { type: string };
      if (frame.type === 'reply') resolve(frame);
    });
    ws.send(JSON.stringify({ type: 'message', text }));
  });
}

describe('demo variants', () => {
  const backends: ChatBackend[] = [];
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((b) => b.close()));
  });
  const start = async (options: typeof VARIANT_A.options) => {
    const b = await startChatBackend({ ...options, inferMs: 1, slots: 1 });
    backends.push(b);
    return b;
  };

  it('v2 answers login, me and chat differently from v1', async () => {
    const [a, b] = [await start(VARIANT_A.options), await start(VARIANT_B.options)];
    const [la, lb] = [await login(a, 'alice'), await login(b, 'alice')];
    expect(typeof la.user.created_at).toBe('string');
    expect(typeof lb.user.created_at).toBe('number');
    const me = async (backend: ChatBackend, token: string) => (await fetch(`${backend.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(await me(a, la.token)).not.toHaveProperty('plan');
    expect(await me(b, lb.token)).toHaveProperty('plan', 'free');
    const frames: string[] = [];
    const [wa, wb] = [await guest(a, frames, 'a'), await guest(b, frames, 'b')];
    expect(await reply(wa, 'hi')).toMatchObject({ text: 'echo: hi' });
    expect(await reply(wb, 'hi')).toMatchObject({ text: 'Echo: hi' });
    wa.close();
    wb.close();
  });

  it('v1 admits the longest waiting first, v2 the newest', async () => {
    for (const [variant, expected] of [
      [VARIANT_A, 'second'],
      [VARIANT_B, 'third'],
    ] as const) {
      const backend = await start(variant.options);
      const frames: string[] = [];
      const first = await guest(backend, frames, 'first');
      const second = await guest(backend, frames, 'second');
      const third = await guest(backend, frames, 'third');
      const admitted = new Promise<string>((resolve) => {
        for (const [ws, label] of [[second, 'second'], [third, 'third']] as const) {
          ws.on('message', (d) => {
            if ((JSON.parse(d.toString()) as { type: string }).type === 'ready') resolve(label);
          });
        }
      });
      first.close();
      expect(await admitted).toBe(expected);
      second.close();
      third.close();
    }
  });
});
