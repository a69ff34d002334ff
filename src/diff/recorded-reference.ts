import type { HttpEvent, WsCloseEvent, WsMessageEvent, WsOpenEvent } from '../model/event.js';
import { OldestFirstMap } from '../model/oldest-first-map.js';
import type { RecordingStore } from '../store/recording-store.js';
import { fromRecorded, type ModelOptions, type ResponseModel } from './response-model.js';
import { fromRecordedWs, type WsModel } from './ws-model.js';

/**
 * What the recording holds for one session, keyed like the results (by the recorded event's
 * seq): without a --secondary it is the second primary sample the noise is measured against.
 */
export interface RecordedSession {
  http: Map<number, ResponseModel>;
  ws: Map<number, WsModel>;
}

export async function readRecordedSession(store: RecordingStore, sessionId: string, options: ModelOptions): Promise<RecordedSession> {
  const http = new Map<number, ResponseModel>();
  const opens = new Map<string, WsOpenEvent>();
  const messages = new Map<string, WsMessageEvent[]>();
  const closes = new Map<string, WsCloseEvent>();
  for await (const event of store.events(sessionId)) {
    switch (event.type) {
      case 'http':
        http.set(event.seq, fromRecorded(event as HttpEvent, options));
        break;
      case 'ws-open':
        opens.set(event.wsId, event);
        messages.set(event.wsId, []);
        break;
      case 'ws-message':
        messages.get(event.wsId)?.push(event);
        break;
      case 'ws-close':
        closes.set(event.wsId, event);
        break;
    }
  }
  const ws = new Map<number, WsModel>();
  for (const [wsId, open] of opens) ws.set(open.seq, fromRecordedWs(open, messages.get(wsId)!, closes.get(wsId)));
  return { http, ws };
}

/**
 * Recorded sessions read once for all their copies. Copies of one session are replayed close
 * together, so a small cache (oldest out first) serves them without holding a recording.
 */
export class RecordedSessions {
  private readonly cache = new OldestFirstMap<string, Promise<RecordedSession>>();

  constructor(
    private readonly store: RecordingStore,
    private readonly options: ModelOptions,
    private readonly capacity = 256,
  ) {}

  get(sessionId: string): Promise<RecordedSession> {
    let hit = this.cache.get(sessionId);
    if (!hit) {
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.oldestKey()!);
      hit = readRecordedSession(this.store, sessionId, this.options);
      this.cache.set(sessionId, hit);
    }
    return hit;
  }
}
