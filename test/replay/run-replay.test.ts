import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatBackend, type ChatBackend } from '../../src/demo/chat-backend.js';
import type { SessionResult } from '../../src/model/run.js';
import { runReplay } from '../../src/replay/run-replay.js';
import type { RecordingStore } from '../../src/store/recording-store.js';
import { buildRecording, chatJourney, tempRoot } from './fixtures.js';

describe('runReplay', () => {
  let root: { root: string; remove: () => Promise<void> };
  let backend: ChatBackend | undefined;
  let store: RecordingStore | undefined;
  beforeEach(async () => {
    root = await tempRoot();
  });
  afterEach(async () => {
    await store?.close();
    await backend?.close();
    await root.remove();
    store = undefined;
    backend = undefined;
  });

  it('replays login -> me -> chat with fresh tokens: all succeed, nothing sent verbatim', async () => {
    backend = await startChatBackend({ slots: 10, inferMs: 5 });
    const sessions = ['alice', 'bob', 'carol'].map((user, i) => chatJourney({ id: `s${i}`, start: i * 20, user, messages: ['hi', 'there'] }));
    store = await buildRecording(root.root, 'rec', sessions);
    const results: SessionResult[] = [];
    const outcome = await runReplay({ store, targets: [{ role: 'primary', url: backend.url }], speed: 10, onResult: (r) => results.push(r) });
    const report = outcome.reports.primary!;
    expect(results.flatMap((r) => [...r.exchanges.map((x) => x.failure), ...r.websockets.map((w) => w.failure)]).filter(Boolean)).toEqual([]);
    expect(report.sessions).toEqual({ total: 3, succeeded: 3, failed: 0 });
    expect(report.unreplacedValues).toBe(0);
    expect(report.successRate).toBe(1);
    const ws = results[0]!.websockets[0]!;
    expect(ws.received.map((m) => JSON.parse(Buffer.from(m.data).toString()).type)).toEqual(['ready', 'reply', 'reply']);
    expect(ws.close).toMatchObject({ code: 1000, by: 'server' });
  });
});
