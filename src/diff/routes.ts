import { UsageError } from '../model/errors.js';

/**
 * Route templates group exchanges and WebSocket connections: `GET /users/:id`, `WS /ws/chat`.
 * Segments that look like identifiers (numbers, UUIDs, long hex) become `:id` on their own, so
 * `/users/17` and `/users/42` are one route; `--route` adds templates the guess cannot know
 * (`/orgs/:org/repos`), tried first, in the order given.
 */
export class RouteTemplates {
  private readonly explicit: ExplicitTemplate[];

  constructor(templates: readonly string[] = []) {
    this.explicit = templates.map(parseTemplate);
  }

  /** `method` is the HTTP method, or `WS` for a WebSocket connection. */
  routeOf(method: string, url: string): string {
    const upper = method.toUpperCase();
    const segments = pathOf(url).split('/');
    for (const t of this.explicit) {
      if ((t.method === undefined || t.method === upper) && matches(t.segments, segments)) {
        return `${upper} ${t.path}`;
      }
    }
    return `${upper} ${segments.map(guessSegment).join('/')}`;
  }
}

interface ExplicitTemplate {
  method?: string;
  path: string;
  segments: string[];
}

/** `/users/:id` or `GET /users/:id`; a `:name` segment matches any one segment. */
function parseTemplate(spec: string): ExplicitTemplate {
  const m = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(spec.trim());
  if (!m) throw new UsageError(`bad --route "${spec}": use e.g. /users/:id or "GET /users/:id"`);
  const path = m[2]!;
  return { ...(m[1] ? { method: m[1].toUpperCase() } : {}), path, segments: path.split('/') };
}

function matches(template: readonly string[], segments: readonly string[]): boolean {
  if (template.length !== segments.length) return false;
  return template.every((t, i) => (t.startsWith(':') && segments[i] !== '') || t === segments[i]);
}

/** The path of an absolute URL or of a request target, without query or fragment. */
function pathOf(url: string): string {
  let start = 0;
  const scheme = url.indexOf('://');
  if (scheme >= 0) {
    const slash = url.indexOf('/', scheme + 3);
    if (slash < 0) return '/';
    start = slash;
  }
  let end = url.length;
  for (const stop of ['?', '#']) {
    const at = url.indexOf(stop, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, end) || '/';
}

const NUMERIC = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Long enough and with a digit: `cafe` and `deadbeef` stay words, `5f3a9c01d2` is an id. */
const HEX = /^(?=.*\d)[0-9a-f]{8,}$/i;

function guessSegment(segment: string): string {
  return NUMERIC.test(segment) || UUID.test(segment) || HEX.test(segment) ? ':id' : segment;
}
