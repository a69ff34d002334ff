import { UsageError } from '../model/errors.js';
import { parseJsonPath, type PathSegment } from '../model/json-path.js';
import { parseLocation, type Location } from '../model/location.js';

/**
 * `--redact` rules: `header:NAME`, `cookie:NAME`, `query:NAME`, `json:$.path`. Header names fold
 * case (HTTP does); cookie and query names do not (servers tell them apart).
 */
export class RedactionRules {
  private readonly headers = new Set<string>();
  private readonly cookies = new Set<string>();
  private readonly queries = new Set<string>();
  readonly json: PathSegment[][] = [];
  /** `"name"` for each json rule's last field name: JSON without any of them needs no parsing. */
  private readonly jsonKeys: string[] = [];

  constructor(readonly specs: readonly string[]) {
    for (const spec of specs) this.add(spec);
  }

  get empty(): boolean {
    return this.specs.length === 0;
  }

  header(name: string): boolean {
    return this.headers.has(name.toLowerCase());
  }

  cookie(name: string): boolean {
    return this.cookies.has(name);
  }

  query(name: string): boolean {
    return this.queries.has(name);
  }

  get anyCookie(): boolean {
    return this.cookies.size > 0;
  }

  /**
   * Whether some json rule could match this JSON text. A key written with escapes (\u0074oken)
   * defeats the quick test, so any escape sends the text to the parser.
   */
  mayMatchJson(text: string): boolean {
    return text.includes('\\u') || this.jsonKeys.some((k) => text.includes(k));
  }

  /** Whether a value at this location (of a value link, of a session key) is redacted. */
  covers(at: Location): boolean {
    switch (at.in) {
      case 'header':
        return this.header(at.name);
      case 'cookie':
        return this.cookie(at.name);
      case 'query':
        return this.query(at.name);
      case 'json': {
        // A recorded key the path grammar cannot read back (`a]b`) cannot be named by a rule either.
        const segments = parsedOrUndefined(at.path);
        return segments !== undefined && this.json.some((rule) => matches(rule, segments));
      }
      default:
        return false;
    }
  }

  private addJson(segments: PathSegment[]): void {
    this.json.push(segments);
    const name = lastName(segments);
    // A rule ending in [*] or [3] can match any key: every JSON text must then be parsed.
    this.jsonKeys.push(name === undefined ? '' : JSON.stringify(name));
  }

  private add(spec: string): void {
    const at = parseLocation(spec);
    if (at?.in === 'header') this.headers.add(at.name);
    else if (at?.in === 'cookie') this.cookies.add(at.name);
    else if (at?.in === 'query') this.queries.add(at.name);
    else if (at?.in === 'json') this.addJson(jsonRule(spec, at.path));
    else throw new UsageError(`bad --redact rule "${spec}": use header:NAME, cookie:NAME, query:NAME or json:$.path`);
  }
}

function lastName(segments: readonly PathSegment[]): string | undefined {
  const last = segments[segments.length - 1];
  return typeof last === 'string' && last !== '*' ? last : undefined;
}

function jsonRule(spec: string, path: string): PathSegment[] {
  try {
    const segments = parseJsonPath(path);
    if (segments.length > 0) return segments;
  } catch (error) {
    throw new UsageError(`bad --redact rule "${spec}": ${(error as Error).message}`);
  }
  throw new UsageError(`bad --redact rule "${spec}": the path must name a field, e.g. json:$.password`);
}

function parsedOrUndefined(path: string): PathSegment[] | undefined {
  try {
    return parseJsonPath(path);
  } catch {
    return undefined;
  }
}

function matches(rule: readonly PathSegment[], segments: readonly PathSegment[]): boolean {
  return rule.length === segments.length && rule.every((s, i) => s === '*' || s === segments[i]);
}
