/**
 * What makes a value worth following from a response into later requests, and what makes a name
 * look like a credential. Following every string would tie users together through shared words
 * ("ok", "general", a room name); following only values shaped like identifiers (tokens, ids)
 * keeps the links meaningful.
 */
const MIN_LENGTH = 8;
const MAX_LENGTH = 4096;
const MIN_DISTINCT = 5;
const MIN_NUMBER = 100_000;

/** Long enough, no spaces, varied enough, and mixing digits and letters (or all digits, or mixed case). */
export function isIdentifierLike(value: string): boolean {
  if (value.length < MIN_LENGTH || value.length > MAX_LENGTH) return false;
  if (/\s/.test(value) || value.includes('://') || value.startsWith('/')) return false;
  if (new Set(value).size < MIN_DISTINCT) return false;
  const digit = /\d/.test(value);
  const letter = /[A-Za-z]/.test(value);
  if (digit && letter) return true;
  if (digit) return /^\d+$/.test(value);
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && value.length >= 12;
}

/**
 * Whether JSON text could hold a leaf isIdentifierLike or numberAsIdentifier accepts: a string
 * literal at least MIN_LENGTH long (an escape can only shorten what it decodes to, so any
 * backslash counts), or a number of MIN_NUMBER's digits or with an exponent. False means parsing
 * the text cannot find one, which is the common case for API responses (`{"ok":true}`).
 */
const MAY_HOLD_IDENTIFIER = new RegExp(`\\\\|"[^"]{${MIN_LENGTH}}|\\d{${String(MIN_NUMBER).length}}|\\d[eE]`);

export function mayHoldIdentifier(jsonText: string): boolean {
  return MAY_HOLD_IDENTIFIER.test(jsonText);
}

/** Large integers are ids (user 1234567); small ones are counts and flags. */
export function numberAsIdentifier(value: number): string | undefined {
  return Number.isSafeInteger(value) && Math.abs(value) >= MIN_NUMBER ? String(value) : undefined;
}

/** A value presented as a credential is remembered even when not identifier-like (an API key). */
export function isCredentialValue(value: string): boolean {
  return value.length >= MIN_LENGTH && value.length <= MAX_LENGTH && !/\s/.test(value);
}

const CREDENTIAL_NAME = /token|auth|sess|jwt|api[-_.]?key|ticket|credential|(^|[-_.])sid$/i;
/** Anti-forgery tokens are handed to anonymous visitors too: they say nothing about a login. */
const ANTI_FORGERY = /csrf|xsrf/i;

/** token, access_token, X-Auth-Token, sessionid, PHPSESSID, connect.sid, jwt, x-api-key, ... */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name) && !ANTI_FORGERY.test(name);
}

const PASSWORD_SUFFIX = /(password|passwd|passphrase|secret)$/i;
const PASSWORD_NAME = /^(pass|pwd|otp|pin)$/i;

/** password, newPassword, client_secret, pwd, otp: the field a login or a sign-up sends. */
export function isPasswordName(name: string): boolean {
  return PASSWORD_SUFFIX.test(name) || PASSWORD_NAME.test(name);
}

const JWT_SHAPE = /^[A-Za-z0-9_-]{4,}\.([A-Za-z0-9_-]{4,})\.[A-Za-z0-9_-]*$/;

/** The claims of a JWT (not verified: we only need to tell users apart), or undefined. */
export function jwtClaims(value: string): Record<string, unknown> | undefined {
  const m = JWT_SHAPE.exec(value);
  if (!m) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
