import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordedSessions, readRecordedSession } from '../../src/diff/recorded-reference.js';
import { DEFAULT_HEADERS } from '../../src/diff/response-model.js';
import type { RecordingStore } from '../../src/store/recording-store.js';
import { buildRecording, RECORDED_TARGET, tempRoot } from '../replay/fixtures.js';
import { journey } from './fixture-backend.js';

describe('recorded sessions', () => {
  let temp: Awaited<ReturnType<typeof tempRoot>>;
  let store: RecordingStore;

  beforeAll(async () => {
    temp = await tempRoot();
    store = await buildRecording(temp.root, 'r', [journey('alice', 0, 'alice')]);
  });

  afterAll(async () => {
    await store.close();
    await temp.remove();
  });

  it('keys responses and connections by the recorded seq, with the server messages and the close', async () => {
    const session = await readRecordedSession(store, 'alice', { headers: DEFAULT_HEADERS, origin: RECORDED_TARGET });
    expect([...session.http.keys()]).toEqual([1, 2, 3, 4]);
    expect(session.http.get(4)).toMatchObject({ status: 200, truncated: false });
    expect(session.http.get(4)!.headers.get('content-type')).toBe('application/json');
    const ws = session.ws.get(5)!;
    expect(ws.handshake).toBe(101);
    expect(ws.messages.map((m) => (JSON.parse(Buffer.from(m.bytes).toString()) as { type: string }).type)).toEqual(['ready', 'reply', 'notice']);
    expect(ws.close).toEqual({ code: 1000, by: 'server' });
  });

  it('reads a session once for all its copies', async () => {
    const sessions = new RecordedSessions(store, { headers: DEFAULT_HEADERS }, 1);
    const first = sessions.get('alice');
    expect(sessions.get('alice')).toBe(first);
    await first;
  });
});
