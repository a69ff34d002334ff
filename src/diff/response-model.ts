import type { HttpEvent } from '../model/event.js';
import { headerValues, type RawHeaders } from '../model/headers.js';
import type { ExchangeResult } from '../model/run.js';
import { UsageError } from '../model/errors.js';
import type { BodySource } from './body-model.js';

/**
 * A response as the differ compares it, whether replayed or recorded: the status, the chosen
 * headers, and the body, parsed on first use only (identical bytes are never parsed).
 */
export interface ResponseModel extends BodySource {
  /** The status code, or why there is none: `error ECONNRESET`, `not sent`. */
  status: number | string;
  /** The chosen headers by lower-case name; a header the response lacks is absent. */
  headers: Map<string, string>;
  /** Only part of the body was kept (the recorder's --max-body): bodies are not compared. */
  truncated: boolean;
}

/**
 * The headers compared by default. Date, Server, Content-Length and ETag are left out: they
 * differ between any two servers (or any two seconds) without meaning anything.
 */
export const DEFAULT_HEADERS: readonly string[] = ['content-type', 'cache-control', 'set-cookie', 'location'];

/** Normalising options: which headers, and each side's origin (stripped from Location). */
export interface ModelOptions {
  headers: readonly string[];
  origin?: string;
}

/**
 * `--headers LIST`: `content-type,x-api-version` replaces the default set; `+x-api-version,-cache-control`
 * adds to it and takes from it.
 */
export function parseHeaderList(spec: string): string[] {
  const items = spec.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`bad --headers "${spec}": give a comma-separated list of header names`);
  const relative = items.every((s) => s.startsWith('+') || s.startsWith('-'));
  if (!relative && items.some((s) => s.startsWith('+') || s.startsWith('-'))) {
    throw new UsageError(`bad --headers "${spec}": either list the headers, or adjust the default set with +NAME and -NAME`);
  }
  const names = new Set(relative ? DEFAULT_HEADERS : []);
  for (const item of items) {
    const name = relative ? item.slice(1) : item;
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new UsageError(`bad header name "${name}" in --headers`);
    if (item.startsWith('-')) names.delete(name);
    else names.add(name);
  }
  return [...names];
}

export function fromExchange(result: ExchangeResult, options: ModelOptions): ResponseModel {
  const bytes = result.body ?? new Uint8Array(0);
  return {
    status: result.status ?? (result.error ? `error ${result.error.code}` : 'no response'),
    headers: chosenHeaders(result.headers ?? [], options),
    bytes,
    truncated: bytes.length < result.bodySize,
  };
}

export function fromRecorded(event: HttpEvent, options: ModelOptions): ResponseModel {
  const response = event.response;
  if (!response || event.error) {
    return { status: `error ${event.error?.code ?? 'unknown'}`, headers: new Map(), bytes: new Uint8Array(0), truncated: false };
  }
  return {
    status: response.status,
    headers: chosenHeaders(response.headers, options),
    bytes: response.body.bytes,
    truncated: response.body.truncated,
  };
}

/** A response that never came, because the virtual user stopped before sending the request. */
export function notSent(): ResponseModel {
  return { status: 'not sent', headers: new Map(), bytes: new Uint8Array(0), truncated: false };
}

function chosenHeaders(raw: RawHeaders, options: ModelOptions): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of options.headers) {
    const values = headerValues(raw, name);
    if (values.length === 0) continue;
    out.set(name, normaliseHeader(name, values, options.origin));
  }
  return out;
}

function normaliseHeader(name: string, values: string[], origin: string | undefined): string {
  // Cookie values are sessions and tokens; whether the same cookies are set is what compares.
  if (name === 'set-cookie') return values.map(cookieName).sort().join(', ');
  const value = values.join(', ');
  // Each target redirects to its own host; a redirect elsewhere is a real difference and stays.
  if (name === 'location' && origin && value.startsWith(origin)) return value.slice(origin.length) || '/';
  return value;
}

function cookieName(setCookie: string): string {
  const eq = setCookie.indexOf('=');
  return (eq < 0 ? setCookie : setCookie.slice(0, eq)).trim();
}
