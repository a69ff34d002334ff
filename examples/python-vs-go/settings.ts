import type { BackendOptions } from '../backends.js';

/**
 * The scenario's numbers in one place: the load profiles, the backends' settings, the traffic
 * recorded. The full form is the standard ramp the original team ran by hand; the quick form
 * keeps the shape (a gentle start, then bursts large enough to pile up blocking token checks)
 * in well under a minute per replay.
 */
export interface ScenarioSettings {
  name: 'full' | 'quick';
  /** `--profile` of every replay. */
  profile: string;
  /** `--speed`: scales the recorded think time inside sessions. */
  speed: number;
  /** Options both backends start with; blockingAuth is added for the Python variant. */
  backend: BackendOptions;
  /** Users the traffic generator plays through the recorder. */
  users: number;
  /** Share of them who log in; the rest chat as guests. */
  authenticatedShare: number;
  /**
   * `--expect-fifo` of every replay. The tolerance covers the token check: a logged-in user
   * joins the queue only once the auth service answered (`authMs` later), a guest at once, so
   * two users who connect closer together than that cannot be ordered from outside.
   */
  fifo: string;
  /** `--ws-key`: pairs WebSocket messages by type, so queued/ready interleavings align. */
  wsKey: string;
}

export const STANDARD_RAMP = '1/10s*10,1/1s*50,10/10s*100,20/10s*100,50/10s*500,100/10s*1000';

const backend: BackendOptions = {
  // Enough slots that Go and async Python carry the top stage, few enough that bursts queue.
  slots: 32,
  inferMs: 50,
  // A slow auth service (300 ms a check) and a 2 s deadline: on a blocked loop the checks of
  // more than six logged-in users arriving together serialise past the deadline, however fast
  // the machine (the time is the auth service's, not CPU); concurrent checks take 300 ms and
  // keep a sixfold margin for a busy machine.
  authMs: 300,
  authTimeoutMs: 2000,
};

export const FULL: ScenarioSettings = {
  name: 'full',
  profile: STANDARD_RAMP,
  speed: 1,
  backend,
  users: 24,
  authenticatedShare: 0.5,
  fifo: 'ws:$.type=ready~500ms',
  wsKey: '$.type',
};

export const QUICK: ScenarioSettings = {
  ...FULL,
  name: 'quick',
  profile: '1/1s*4,10/2s*20,40/3s*80',
  speed: 4,
  users: 12,
};
