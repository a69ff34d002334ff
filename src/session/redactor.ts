import type { Body, Event, HttpRequest, HttpResponse, WsMessageEvent } from '../model/event.js';
import { headerValue, type RawHeaders } from '../model/headers.js';
import { updateJson } from '../model/json-path.js';
import { parseLocation } from '../model/location.js';
import type { Session, ValueLink } from '../model/session.js';
import { decodedBytes, encodedLike, isJsonLike } from './body.js';
import { rewriteCookieHeader, rewriteSetCookie } from './cookies.js';
import { RedactionRules } from './redaction-rules.js';
import type { Stitched } from './stitcher.js';
import { rewriteQuery } from './url-parts.js';

export const REDACTED = '[REDACTED]';

/** Authorization keeps its scheme, so a replayer still knows it sends `Bearer <fresh token>`. */
const SCHEMED = new Set(['authorization', 'proxy-authorization']);

/**
 * Applies `--redact` rules to events before they are stored, and to sessions' value links.
 * Stitching runs first on the real values (a token is what ties a login to its user); then
 * `stitched()` redacts both halves. A link whose value sits at a redacted location (where it was
 * issued or where it was used) keeps its locations but loses its value, and that value is also
 * replaced wherever it appears in the session's later events: redacting `json:$.token` keeps the
 * token out of the Authorization header that carried it back. A body that cannot be inspected
 * (truncated, undecodable) while something must be redacted in it is not stored at all.
 */
export class Redactor {
  private readonly rules: RedactionRules;
  /** Per link: how many of its uses were checked, and whether it is redacted (links only grow). */
  private readonly verdicts = new WeakMap<ValueLink, { checked: number; redacted: boolean }>();

  constructor(rules: readonly string[]) {
    this.rules = new RedactionRules(rules);
  }

  stitched(s: Stitched): Stitched {
    return { session: this.session(s.session), event: this.event(s.event, s.session) };
  }

  /** A copy of the event with redacted values replaced; with its session, linked values too. */
  event<E extends Event>(e: E, session?: Session): E {
    if (this.rules.empty) return e;
    const values = session ? this.redactedValues(session) : [];
    switch (e.type) {
      case 'http':
        return { ...e, request: this.request(e.request, values), ...(e.response && { response: this.response(e.response, values) }) };
      case 'ws-open':
        return {
          ...e,
          url: replaceAll(rewriteQuery(e.url, (n) => this.queryValue(n)), values),
          headers: this.headers(e.headers, values),
          ...(e.response && { response: this.response(e.response, values) }),
        };
      case 'ws-message':
        return { ...e, data: this.message(e, values) };
      default:
        return e;
    }
  }

  /** A copy whose redacted link values, session-key value and User-Agent are replaced. */
  session(s: Session): Session {
    if (this.rules.empty) return s;
    const links = s.links.map((l) => (this.isRedacted(l) ? { ...l, value: REDACTED } : l));
    const key = s.groupedBy.by === 'session-key' ? parseLocation(s.groupedBy.spec) : undefined;
    const groupedBy = key && this.rules.covers(key) ? { ...s.groupedBy, value: REDACTED } : s.groupedBy;
    const client = s.client.userAgent !== undefined && this.rules.header('user-agent') ? { ...s.client, userAgent: REDACTED } : s.client;
    return { ...s, links, groupedBy, client };
  }

  private redactedValues(session: Session): string[] {
    return session.links.filter((l) => this.isRedacted(l)).map((l) => l.value);
  }

  private isRedacted(link: ValueLink): boolean {
    let verdict = this.verdicts.get(link);
    if (!verdict) {
      verdict = { checked: 0, redacted: this.rules.covers(link.source.at) };
      this.verdicts.set(link, verdict);
    }
    for (; !verdict.redacted && verdict.checked < link.uses.length; verdict.checked++) {
      verdict.redacted = this.rules.covers(link.uses[verdict.checked]!.at);
    }
    return verdict.redacted;
  }

  private request(r: HttpRequest, values: readonly string[]): HttpRequest {
    const url = replaceAll(rewriteQuery(r.url, (n) => this.queryValue(n)), values);
    return { ...r, url, headers: this.headers(r.headers, values), body: this.body(r.headers, r.body, values) };
  }

  private response(r: HttpResponse, values: readonly string[]): HttpResponse {
    return { ...r, headers: this.headers(r.headers, values), body: this.body(r.headers, r.body, values) };
  }

  private headers(headers: RawHeaders, values: readonly string[]): RawHeaders {
    return headers.map((pair) => {
      const value = replaceAll(this.headerValue(pair[0].toLowerCase(), pair[1]), values);
      return value === pair[1] ? pair : [pair[0], value];
    });
  }

  private headerValue(name: string, value: string): string {
    if (this.rules.header(name)) return SCHEMED.has(name) ? value.replace(/^(\S+\s+)?[\s\S]*$/, `$1${REDACTED}`) : REDACTED;
    if (name === 'cookie' && this.rules.anyCookie) return rewriteCookieHeader(value, (n) => this.cookieValue(n));
    if (name === 'set-cookie' && this.rules.anyCookie) return rewriteSetCookie(value, (n) => this.cookieValue(n));
    return value;
  }

  private cookieValue(name: string): string | undefined {
    return this.rules.cookie(name) ? REDACTED : undefined;
  }

  private queryValue(name: string): string | undefined {
    return this.rules.query(name) ? REDACTED : undefined;
  }

  private body(headers: RawHeaders, body: Body, values: readonly string[]): Body {
    if ((this.rules.json.length === 0 && values.length === 0) || body.bytes.byteLength === 0) return body;
    const decoded = decodedBytes(headers, body.bytes);
    if (!decoded) return withheld(body);
    const type = (headerValue(headers, 'content-type') ?? '').toLowerCase();
    const text = this.json(decoded, type, body.truncated || type.includes('json'));
    if (text === undefined) return withheld(body);
    const redacted = replaceBytes(text, values);
    return redacted === decoded ? body : { ...body, bytes: encodedLike(headers, redacted) };
  }

  private message(m: WsMessageEvent, values: readonly string[]): Body {
    if (this.rules.json.length === 0 && values.length === 0) return m.data;
    const bytes = Buffer.from(m.data.bytes.buffer, m.data.bytes.byteOffset, m.data.bytes.byteLength);
    const text = m.opcode === 'text' ? this.json(bytes, '', m.data.truncated) : bytes;
    if (text === undefined) return withheld(m.data);
    const redacted = replaceBytes(text, values);
    return redacted === bytes ? m.data : { ...m.data, bytes: redacted };
  }

  /**
   * The bytes with json: rules applied (the same bytes when none matched); undefined when they
   * look like JSON that does not parse and `strict` says it should have (a cut-off body).
   */
  private json(bytes: Buffer, type: string, strict: boolean): Buffer | undefined {
    if (this.rules.json.length === 0) return bytes;
    const text = bytes.toString('utf8');
    if (!isJsonLike(type, text) || !this.rules.mayMatchJson(text)) return bytes;
    let root: unknown;
    try {
      root = JSON.parse(text);
    } catch {
      return strict ? undefined : bytes;
    }
    let count = 0;
    for (const rule of this.rules.json) count += updateJson(root, rule, () => REDACTED);
    return count === 0 ? bytes : Buffer.from(JSON.stringify(root));
  }
}

function withheld(body: Body): Body {
  return { bytes: new Uint8Array(0), size: body.size, truncated: true };
}

function replaceAll(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}

function replaceBytes(bytes: Buffer, values: readonly string[]): Buffer {
  let out = bytes;
  for (const v of values) {
    const needle = Buffer.from(v);
    if (out.indexOf(needle) < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, from)) {
      parts.push(out.subarray(from, at), Buffer.from(REDACTED));
      from = at + needle.length;
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return out;
}
