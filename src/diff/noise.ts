import { UsageError } from '../model/errors.js';

/**
 * Noise cancellation, the way Diffy does it. For each route and field, `raw` counts the
 * responses where primary and candidate differ there, `noise` those where primary and a second
 * primary sample (the --secondary, or else the recorded response) differ there, and `requests`
 * the responses compared on the route. A field is reported only when all three hold:
 *
 *   raw > noise
 *   (raw - noise) / (raw + noise) > relative       (default 20%)
 *   (raw - noise) / requests      > absolute       (default 0.03%)
 *
 * so a field that differs between two runs of the same code as often as it does against the
 * candidate is noise, and so is a difference too rare to stand out from it.
 */
export interface NoiseMargins {
  /** Fractions: 0.2 is 20%. */
  relative: number;
  absolute: number;
}

export const DEFAULT_MARGINS: NoiseMargins = { relative: 0.2, absolute: 0.0003 };

export function isSignificant(raw: number, noise: number, requests: number, margins: NoiseMargins): boolean {
  if (raw <= noise || requests <= 0) return false;
  return (raw - noise) / (raw + noise) > margins.relative && (raw - noise) / requests > margins.absolute;
}

/** A percentage as the flags take it: `20`, `20%` and `0.03%` are 20% and 0.03%. */
export function parsePercent(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const value = m ? Number(m[1]) : NaN;
  if (!(value >= 0 && value <= 100)) throw new UsageError(`bad ${flag} "${text}": give a percentage from 0 to 100, e.g. 20 or 0.03%`);
  return value / 100;
}
