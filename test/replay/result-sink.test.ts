import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionResult } from '../../src/model/run.js';
import { ResultSink } from '../../src/replay/result-sink.js';
import type { RecordingStore } from '../../src/store/recording-store.js';
import { buildRecording, tempRootPerTest } from './fixtures.js';

const result = (copy: number): SessionResult => ({ role: 'primary', copy, sessionId: 's', tags: [], stage: 0, plannedStart: 0, actualStart: 0, end: 0, ok: true, exchanges: [], websockets: [], unreplaced: [] });

describe('ResultSink', () => {
  const root = tempRootPerTest();
  let store: RecordingStore;
  beforeEach(async () => {
    store = await buildRecording(root.root, 'r', []);
  });
  afterEach(async () => {
    await store.close();
  });

  it('hands results over in handfuls and writes every one of them', async () => {
    const writer = store.resultWriter('run1');
    const puts: number[] = [];
    const put = writer.put.bind(writer);
    writer.put = (r) => (puts.push(r.copy), put(r));
    const sink = new ResultSink(writer, 60_000, 3);
    sink.put(result(0));
    sink.put(result(1));
    expect(puts).toEqual([]); // still gathering
    sink.put(result(2));
    expect(puts).toEqual([0, 1, 2]); // a full handful goes at once
    sink.put(result(3));
    await sink.flush();
    expect(puts).toEqual([0, 1, 2, 3]);
    const stored: number[] = [];
    for await (const r of store.results('run1')) stored.push(r.copy);
    expect(stored).toEqual([0, 1, 2, 3]);
    expect(sink.dropped()).toBe(0);
  });
});
