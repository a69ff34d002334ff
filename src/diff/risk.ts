import type { DiffKind, Risk } from '../report/model.js';

/**
 * How much a difference matters. High: the candidate lost something the primary gave (a status
 * class, a field, a type, a WebSocket, messages). Medium: it gave something else. Low: it gave
 * more. Where the direction decides (array lengths, close codes, statuses) the functions below
 * look at both values.
 */
export const RISKS: readonly Risk[] = ['high', 'medium', 'low'];

const BY_KIND: Record<DiffKind, Risk> = {
  status: 'high',
  type: 'high',
  missing: 'high',
  'ws-handshake': 'high',
  'ws-missing-message': 'high',
  value: 'medium',
  header: 'medium',
  text: 'medium',
  binary: 'medium',
  'array-order': 'medium',
  'array-length': 'medium',
  'ws-close': 'medium',
  extra: 'low',
  'ws-extra-message': 'low',
};

export function kindRisk(kind: DiffKind): Risk {
  return BY_KIND[kind];
}

/** A status that changed class (2xx -> 4xx, or a response -> an error) is high; 200 -> 201 medium. */
export function statusRisk(primary: number | string, candidate: number | string): Risk {
  if (typeof primary !== 'number' || typeof candidate !== 'number') return 'high';
  return Math.floor(primary / 100) === Math.floor(candidate / 100) ? 'medium' : 'high';
}

/** A shorter array lost elements, like a missing field; a longer one gained some. */
export function arrayLengthRisk(primary: number, candidate: number): Risk {
  return candidate < primary ? 'high' : 'low';
}

/** Codes that mean the connection ended badly rather than by agreement. */
const ABNORMAL_CLOSE = new Set([1006, 1011]);

/** Closing abnormally (or not closing at all where the primary closed) is high; another code medium. */
export function closeRisk(primary: number | string, candidate: number | string): Risk {
  const abnormal = (code: number | string) => typeof code !== 'number' || ABNORMAL_CLOSE.has(code);
  return abnormal(candidate) && !abnormal(primary) ? 'high' : 'medium';
}

export function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk);
}

/** The higher of two risks. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return riskRank(a) <= riskRank(b) ? a : b;
}

/** True when `risk` is `level` or above (--fail-on). */
export function atLeast(risk: Risk, level: Risk): boolean {
  return riskRank(risk) <= riskRank(level);
}
