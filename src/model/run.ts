import type { RawHeaders } from './headers.js';
import type { CloseSide, Opcode, TransportError } from './event.js';
import type { SessionTag } from './session.js';

/**
 * A replay or compare run, stored inside the recording it replayed so that reports can
 * be rendered again later without replaying.
 */
export interface Run {
  id: string;
  kind: RunKind;
  recording: string;
  /** Epoch µs. */
  startedAt: number;
  endedAt?: number;
  /** Each role gets its own copy of every session; replay has one role, compare two or three. */
  targets: RunTarget[];
  /** The command's options as given (speed, multiply, profile, thresholds, ...). */
  options: Record<string, unknown>;
  /** The summary the command printed, in the JSON shape of its --out file. */
  report?: unknown;
}

export type RunKind = 'replay' | 'compare';
export type TargetRole = 'primary' | 'candidate' | 'secondary';

export interface RunTarget {
  role: TargetRole;
  url: string;
}

/** What one virtual user did: one session copy replayed against one target. */
export interface SessionResult {
  role: TargetRole;
  /** The index of this copy in the plan; the same copy index across roles is the same user. */
  copy: number;
  sessionId: string;
  tags: SessionTag[];
  /** Index of the load stage (0 when the recorded arrival pattern was followed). */
  stage: number;
  /** Epoch µs. */
  plannedStart: number;
  actualStart: number;
  end: number;
  ok: boolean;
  exchanges: ExchangeResult[];
  websockets: WsResult[];
  /** Recorded values linked to a fresh one that were still sent verbatim. */
  unreplaced: { value: string; seq: number; at: string }[];
  /**
   * With --expect-fifo: whether the recorded session reached the message; for this copy, when
   * the connection that reached it asked to join (its handshake) and when it got there (epoch µs).
   */
  fifo?: { recorded: boolean; joinedAt?: number; reachedAt?: number };
  /** Why the virtual user could not run at all (its events could not be read), if so. */
  failure?: string;
}

/** One replayed HTTP exchange, next to what was recorded for it. */
export interface ExchangeResult {
  /** The recorded event's seq. */
  seq: number;
  method: string;
  url: string;
  recordedStatus?: number;
  status?: number;
  headers?: RawHeaders;
  body?: Uint8Array;
  bodySize: number;
  /** Milliseconds from sending the request to the first byte and to the last byte. */
  ttfbMs?: number;
  latencyMs?: number;
  /** Epoch µs when the request was sent. */
  sentAt: number;
  error?: TransportError;
  /** Why this exchange counts as failed, in words that group well ("status 2xx -> 5xx"). */
  failure?: string;
}

/** One replayed WebSocket connection. */
export interface WsResult {
  /** The recorded ws-open's seq. */
  seq: number;
  url: string;
  recordedStatus: number;
  status?: number;
  protocol?: string;
  handshakeMs?: number;
  sentAt: number;
  /** Everything the server sent, with its time. */
  received: { opcode: Opcode; data: Uint8Array; at: number }[];
  sent: number;
  recordedServerMessages: number;
  close?: { code: number; reason: string; by: CloseSide; at: number };
  recordedClose?: { code: number; reason: string; by: CloseSide };
  error?: TransportError;
  failure?: string;
}
