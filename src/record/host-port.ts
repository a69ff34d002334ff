import { UsageError } from '../model/errors.js';

export interface HostPort {
  host: string;
  port: number;
}

/** `HOST:PORT`, `[v6]:PORT`, `:PORT` or `PORT`; a missing host is loopback, never all interfaces. */
export function parseHostPort(text: string, flag: string): HostPort {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new UsageError(`bad ${flag} "${text}": use HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free one)`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
  return { host: host || '127.0.0.1', port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
