/**
 * Recognisable value shapes. Two values that differ but share one of these shapes are noise by
 * default (a fresh UUID, a later timestamp, another token), because no two runs of a service
 * produce the same ones. Two ISO-8601 timestamps share a shape whatever their precision and
 * offset style (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123456+00:00`): both say "a
 * time" and the value differs between runs anyway; a timestamp against an epoch number is a
 * type difference and stays one. Ids must have the same length and alphabet (JWTs excepted:
 * their length follows their claims).
 */
export type ValueShape = 'uuid' | 'timestamp' | 'epoch' | 'jwt' | 'hex-id' | 'base64-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const JWT = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$/;
/** One letter case only, so words and mixed identifiers are not mistaken for ids. */
const HEX = /^(?:[0-9a-f]{12,}|[0-9A-F]{12,})$/;
const BASE64 = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
/** Seconds, milliseconds or microseconds since the epoch, between 2001 and 2286. */
const EPOCH_DIGITS = new Set([10, 13, 16]);

/** The shape `a` and `b` share, or undefined. Call it only for values that differ. */
export function sharedShape(a: unknown, b: unknown): ValueShape | undefined {
  if (typeof a === 'string' && typeof b === 'string') return sharedStringShape(a, b);
  if (typeof a === 'number' && typeof b === 'number') return epochDigits(a) !== 0 && epochDigits(a) === epochDigits(b) ? 'epoch' : undefined;
  return undefined;
}

function sharedStringShape(a: string, b: string): ValueShape | undefined {
  if (UUID.test(a)) return UUID.test(b) ? 'uuid' : undefined;
  if (ISO_8601.test(a)) return ISO_8601.test(b) ? 'timestamp' : undefined;
  if (JWT.test(a)) return JWT.test(b) ? 'jwt' : undefined;
  if (a.length !== b.length) return undefined;
  if (HEX.test(a)) return HEX.test(b) ? 'hex-id' : undefined;
  if (isBase64Id(a)) return isBase64Id(b) ? 'base64-id' : undefined;
  return undefined;
}

/** Random ids of 16+ characters almost always mix cases or hold a digit; words rarely do both. */
function isBase64Id(s: string): boolean {
  return BASE64.test(s) && (/\d/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s)));
}

/** The integer digit count of a plausible epoch time, or 0. */
function epochDigits(n: number): number {
  if (!Number.isFinite(n) || n < 1e9) return 0;
  const digits = Math.floor(Math.log10(n)) + 1;
  return EPOCH_DIGITS.has(digits) ? digits : 0;
}
