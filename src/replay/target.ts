import { connect } from 'node:net';
import { TargetUnreachableError, UsageError } from '../model/errors.js';
import type { RunTarget } from '../model/run.js';
import type { UserTarget } from './virtual-user.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A target is an origin: `http://host:port`. Recorded paths are sent as they were. */
export function userTarget(target: RunTarget): UserTarget {
  const url = parseTarget(target.url);
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return { role: target.role, httpOrigin: url.origin, wsOrigin: `${ws}//${url.host}` };
}

function parseTarget(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`bad target "${text}": use e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`bad target "${text}": only http:// and https:// targets`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search) throw new UsageError(`bad target "${text}": give an origin without a path`);
  return url;
}

/** Replaying into the service the traffic came from would repeat real users' actions there. */
export function refuseOrigin(target: RunTarget, recordedTarget: string, allowOrigin: boolean): void {
  if (allowOrigin || !recordedTarget) return;
  let recorded: URL;
  try {
    recorded = new URL(recordedTarget);
  } catch {
    return;
  }
  const url = parseTarget(target.url);
  if (sameOrigin(url, recorded)) {
    throw new UsageError(`refusing to replay against ${url.origin}, the origin this recording was taken from (pass --allow-origin to do it anyway)`);
  }
}

function sameOrigin(a: URL, b: URL): boolean {
  const host = (u: URL): string => (LOOPBACK.has(u.hostname) ? 'loopback' : u.hostname);
  return a.protocol === b.protocol && host(a) === host(b) && portOf(a) === portOf(b);
}

function portOf(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

/** A quick TCP connect before the run, so a wrong port is one clear line, not a run of failures. */
export function checkReachable(target: RunTarget, timeoutMs = 3000): Promise<void> {
  const url = parseTarget(target.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(portOf(url)) });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new TargetUnreachableError(url.origin, why));
    };
    socket.setTimeout(timeoutMs, () => fail(`no connection within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}
