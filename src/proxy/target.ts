import { UsageError } from '../model/errors.js';

/** The one upstream the proxy forwards to; it is never an open proxy. */
export interface Target {
  /** http(s)://host:port, what the HTTP leg dials. */
  origin: string;
  /** ws(s)://host:port, what the WebSocket leg dials. */
  wsOrigin: string;
  /** host[:port] as a Host header names it. */
  host: string;
  /** A path prefix from the target URL ('' for none), prepended to every forwarded path. */
  basePath: string;
  secure: boolean;
}

export function parseTarget(text: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`bad target "${text}": use e.g. http://127.0.0.1:3000`);
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new UsageError(`bad target "${text}": use http(s)://host[:port][/base-path]`);
  }
  return {
    origin: `${secure ? 'https' : 'http'}://${url.host}`,
    wsOrigin: `${secure ? 'wss' : 'ws'}://${url.host}`,
    host: url.host,
    basePath: url.pathname.replace(/\/+$/, ''),
    secure,
  };
}

/**
 * The path to forward for a request-target, or undefined when it must be refused: an
 * absolute-form URL naming another host (we are not an open proxy), or a form we do not forward
 * (authority-form, asterisk-form).
 */
export function forwardPath(requestTarget: string, target: Target): string | undefined {
  if (requestTarget.startsWith('/')) return target.basePath + requestTarget;
  if (!/^(https?|wss?):\/\//i.test(requestTarget)) return undefined;
  let url: URL;
  try {
    url = new URL(requestTarget);
  } catch {
    return undefined;
  }
  // URL normalises case and drops a default port, on both sides.
  if (url.host !== target.host) return undefined;
  return target.basePath + url.pathname + url.search;
}
