/**
 * Where a value sits inside a request, a response or a WebSocket message. One grammar serves
 * the recorder (value links, redaction), the replayer (substitution, --vary, --ws-key) and the
 * diff (--ignore), and `formatLocation` prints it the way the CLI flags take it.
 *
 *   header:authorization   cookie:sid   query:token   path   json:$.user.id   body
 */
export type Location =
  | { in: 'header'; name: string }
  | { in: 'cookie'; name: string }
  | { in: 'query'; name: string }
  | { in: 'path' }
  | { in: 'json'; path: string }
  | { in: 'body' };

export function formatLocation(loc: Location): string {
  switch (loc.in) {
    case 'header':
    case 'cookie':
    case 'query':
      return `${loc.in}:${loc.name}`;
    case 'json':
      return `json:${loc.path}`;
    case 'path':
    case 'body':
      return loc.in;
  }
}

export function parseLocation(spec: string): Location | undefined {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'header':
      return arg ? { in: 'header', name: arg.toLowerCase() } : undefined;
    case 'cookie':
    case 'query':
      return arg ? { in: kind, name: arg } : undefined;
    case 'json':
      return arg.startsWith('$') ? { in: 'json', path: arg } : undefined;
    case 'path':
    case 'body':
      return colon < 0 ? { in: kind } : undefined;
    default:
      return undefined;
  }
}
