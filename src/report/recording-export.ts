import type { RecordingStore } from '../store/recording-store.js';
import type { Session } from '../model/session.js';
import { eventView, sessionView, type EventView, type SessionView } from './recording-view.js';
import { writeText } from './write-text.js';

/** Sessions of a store as views, one at a time, so a large recording is never held whole. */
export async function* sessionViews(store: RecordingStore, only?: string): AsyncGenerator<SessionView> {
  for await (const session of sessionsOf(store, only)) {
    const events: EventView[] = [];
    for await (const event of store.events(session.id)) events.push(eventView(event, session.startedAt));
    yield sessionView(session, events);
  }
}

function sessionsOf(store: RecordingStore, only: string | undefined): AsyncIterable<Session> {
  return only ? single(store, only) : store.sessions();
}

async function* single(store: RecordingStore, id: string): AsyncGenerator<Session> {
  const session = await store.session(id);
  if (session) yield session;
}

/** Text gathered before a write: writes of a few events each would cost more than the JSON. */
const WRITE_CHARS = 64 * 1024;

/**
 * Writes the `reprise show --json` document as a stream: {"recording":{...},"sessions":[...]},
 * event by event, so neither a recording nor one long session is held whole. A session's fields
 * come first and its `events` last, as in SessionView. Resolves with the sessions written; a
 * reader that goes stops it early.
 */
export async function writeRecordingJson(store: RecordingStore, out: NodeJS.WritableStream, only?: string): Promise<number> {
  const m = store.meta;
  const recording = {
    name: m.name,
    target: m.target,
    version: m.version,
    startedAt: new Date(m.startedAt / 1000).toISOString(),
    endedAt: m.endedAt === undefined ? null : new Date(m.endedAt / 1000).toISOString(),
    counts: m.counts,
    /** How it was recorded: --max-body, --session-key, --redact, --client-header. */
    options: m.options,
  };
  if (!(await writeText(out, `{"recording":${JSON.stringify(recording)},"sessions":[`))) return 0;
  let n = 0;
  for await (const session of sessionsOf(store, only)) {
    const { events: _none, ...fields } = sessionView(session, []);
    let text = `${n ? ',\n' : '\n'}${JSON.stringify(fields).slice(0, -1)},"events":[`;
    let first = true;
    for await (const event of store.events(session.id)) {
      text += (first ? '' : ',') + JSON.stringify(eventView(event, session.startedAt));
      first = false;
      if (text.length >= WRITE_CHARS) {
        if (!(await writeText(out, text))) return n;
        text = '';
      }
    }
    if (!(await writeText(out, `${text}]}`))) return n;
    n++;
  }
  await writeText(out, '\n]}\n');
  return n;
}
