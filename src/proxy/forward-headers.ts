import type { RawHeaders } from '../model/headers.js';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus legacy ones. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'transfer-encoding',
  'upgrade',
]);

/** The WebSocket leg to the target runs its own handshake; the client's would be wrong there. */
const WS_HANDSHAKE = new Set(['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol']);

export interface ClientInfo {
  address: string;
}

/**
 * The request's headers as the target should get them, flat ([name, value, ...]) in their
 * original order and case: hop-by-hop headers (and those the Connection header lists) dropped,
 * Host left to the upstream client (it names the target), Expect dropped (the proxy's server has
 * already answered 100-continue), X-Forwarded-For extended, -Proto and -Host added when absent.
 */
export function targetRequestHeaders(raw: readonly string[], client: ClientInfo, websocket = false): string[] {
  let out: string[] = [];
  let connection: string[] | undefined;
  let forwardedFor = '';
  let host = '';
  let hasProto = false;
  let hasHost = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    else if (lower === 'x-forwarded-for') forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
    else if (lower === 'connection') (connection ??= []).push(value);
    else if (HOP_BY_HOP.has(lower) || lower === 'expect' || (websocket && WS_HANDSHAKE.has(lower))) continue;
    else {
      if (lower === 'x-forwarded-proto') hasProto = true;
      else if (lower === 'x-forwarded-host') hasHost = true;
      out.push(name, value);
    }
  }
  const listed = connection && connectionListed(connection);
  if (listed) out = dropNamed(out, listed);
  out.push('X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${client.address}` : client.address);
  if (!hasProto) out.push('X-Forwarded-Proto', 'http');
  if (!hasHost && host) out.push('X-Forwarded-Host', host);
  return out;
}

/** The same, shaped as the `ws` client takes them (repeated names become arrays). */
export function targetHandshakeHeaders(raw: readonly string[], client: ClientInfo): Record<string, string | string[]> {
  const flat = targetRequestHeaders(raw, client, true);
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!;
    const value = flat[i + 1]!;
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/**
 * The target's response headers: `recorded` exactly as they came (order, case, repeats), and
 * `forward`, flat, without the hop-by-hop ones, for the client. Names and values arrive as
 * latin1 bytes, which is what HTTP/1.1 header bytes are.
 */
export function clientResponseHeaders(raw: readonly Buffer[]): { recorded: RawHeaders; forward: string[] } {
  const recorded: RawHeaders = [];
  let forward: string[] = [];
  let connection: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    const value = raw[i + 1]!.toString('latin1');
    recorded.push([name, value]);
    const lower = name.toLowerCase();
    if (lower === 'connection') (connection ??= []).push(value);
    else if (!HOP_BY_HOP.has(lower)) forward.push(name, value);
  }
  const listed = connection && connectionListed(connection);
  if (listed) forward = dropNamed(forward, listed);
  return { recorded, forward };
}

export function withoutHopByHop(headers: RawHeaders, extra?: ReadonlySet<string>): string[] {
  const connection = headers.filter(([name]) => name.toLowerCase() === 'connection').map(([, value]) => value);
  const listed = connectionListed(connection);
  const out: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !listed?.has(lower) && !extra?.has(lower)) out.push(name, value);
  }
  return out;
}

/**
 * Headers a Connection header names are hop-by-hop too; undefined when it names none (the usual
 * `keep-alive` or `close`), which spares the common case a second pass.
 */
function connectionListed(connectionValues: readonly string[]): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (const value of connectionValues) {
    const v = value.toLowerCase();
    if (v === 'keep-alive' || v === 'close') continue;
    for (const token of v.split(',')) {
      const t = token.trim();
      if (t && t !== 'keep-alive' && t !== 'close') (listed ??= new Set()).add(t);
    }
  }
  return listed;
}

function dropNamed(flat: readonly string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) if (!names.has(flat[i]!.toLowerCase())) out.push(flat[i]!, flat[i + 1]!);
  return out;
}
