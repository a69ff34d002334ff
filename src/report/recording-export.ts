import type { RecordingStore } from '../store/recording-store.js';
import type { Session } from '../model/session.js';
import { eventView, sessionView, type EventView, type SessionView } from './recording-view.js';
import { formatEvent, formatSessionHead } from './recording-text.js';
import { writeText } from './write-text.js';

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
  const written = await writeSessions(store, out, only, {
    head: (fields, _count, i) => `${i ? ',\n' : '\n'}${JSON.stringify(fields).slice(0, -1)},"events":[`,
    event: (e, j) => (j ? ',' : '') + JSON.stringify(e),
    tail: ']}',
  });
  if (written.complete) await writeText(out, '\n]}\n');
  return written.sessions;
}

/** Writes `reprise show`'s text: each session's head and links, then an event a line. Resolves with the sessions written. */
export async function writeRecordingText(store: RecordingStore, out: NodeJS.WritableStream, only?: string): Promise<number> {
  const written = await writeSessions(store, out, only, {
    head: (fields, count) => formatSessionHead(fields, count),
    event: (e) => `\n${formatEvent(e)}`,
    tail: '\n',
  });
  return written.sessions;
}

/** How one output shape renders a session: its head (the i-th session), each of its events (the j-th), its end. */
interface SessionFormat {
  head: (fields: Omit<SessionView, 'events'>, eventCount: number, i: number) => string;
  event: (e: EventView, j: number) => string;
  tail: string;
}

/** The sessions, each event rendered as it is read and written in pieces; `complete` is false when the reader left. */
async function writeSessions(
  store: RecordingStore,
  out: NodeJS.WritableStream,
  only: string | undefined,
  format: SessionFormat,
): Promise<{ sessions: number; complete: boolean }> {
  let i = 0;
  for await (const session of sessionsOf(store, only)) {
    const { events: _none, ...fields } = sessionView(session, []);
    let text = format.head(fields, session.eventCount, i);
    let j = 0;
    for await (const event of store.events(session.id)) {
      text += format.event(eventView(event, session.startedAt), j++);
      if (text.length >= WRITE_CHARS) {
        if (!(await writeText(out, text))) return { sessions: i, complete: false };
        text = '';
      }
    }
    if (!(await writeText(out, text + format.tail))) return { sessions: i, complete: false };
    i++;
  }
  return { sessions: i, complete: true };
}
