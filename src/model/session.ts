import type { Location } from './location.js';

/**
 * One user's journey. Events are stored apart (keyed by session and seq) so a session with a
 * million WebSocket messages is still read as a stream.
 */
export interface Session {
  id: string;
  /** Epoch µs of the first and the last event. */
  startedAt: number;
  endedAt: number;
  tags: SessionTag[];
  client: { address: string; userAgent?: string };
  /** How the session was told apart: a --session-key value, a value link, a connection, an idle gap. */
  groupedBy: GroupingReason;
  eventCount: number;
  links: ValueLink[];
}

export type SessionTag = 'authenticated' | 'anonymous' | (string & {});

export type GroupingReason =
  | { by: 'session-key'; spec: string; value: string }
  | { by: 'link' }
  | { by: 'connection' }
  | { by: 'client'; idleGapMs: number };

/**
 * A value the target issued (a token in a login response, a Set-Cookie) that the client later
 * sent back. The replayer reads the fresh value at `source` in the replayed response and writes
 * it wherever `uses` say; `value` is what was recorded, so leftovers can be found verbatim.
 */
export interface ValueLink {
  value: string;
  source: { seq: number; at: Location };
  uses: ValueUse[];
}

/** `at` is inside the request of an http event, the handshake of a ws-open, or a ws-message. */
export interface ValueUse {
  seq: number;
  at: Location;
}
