/**
 * The key layout. LevelDB sorts keys as bytes, so numbers are fixed-width and `!` (0x21) is the
 * separator: it sorts below every character ids are made of.
 *
 *   meta                              recording metadata
 *   s!<sid>                           session
 *   t!<startedAt 16>!<sid>            '' : start-time index, read by the planner in order
 *   e!<sid>!<seq 8>                   event
 *   r!<runId>!meta                    run
 *   r!<runId>!u!<role>!<copy 8>       session result of one virtual user
 */
export const META = 'meta';

const pad = (n: number, width: number): string => String(Math.trunc(n)).padStart(width, '0');

export const sessionKey = (sid: string): string => `s!${sid}`;
export const startIndexKey = (startedAt: number, sid: string): string => `t!${pad(startedAt, 16)}!${sid}`;
export const eventKey = (sid: string, seq: number): string => `e!${sid}!${pad(seq, 8)}`;
export const runKey = (runId: string): string => `r!${runId}!meta`;
export const resultKey = (runId: string, role: string, copy: number): string => `r!${runId}!u!${role}!${pad(copy, 8)}`;

/** The half-open key range [gte, lt) holding every key that starts with `prefix`. */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix + '\xff' };
}

export const SESSION_PREFIX = 's!';
export const START_INDEX_PREFIX = 't!';
export const eventPrefix = (sid: string): string => `e!${sid}!`;
export const RUN_PREFIX = 'r!';
export const resultPrefix = (runId: string, role?: string): string => (role ? `r!${runId}!u!${role}!` : `r!${runId}!u!`);

export function sessionIdFromStartIndex(key: string): string {
  return key.slice(START_INDEX_PREFIX.length + 17);
}
