import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { WebSocket } from 'ws';
import { seededRandom } from '../model/random.js';

/**
 * Synthetic users of the chat protocol (examples/PROTOCOL.md), for recording something real
 * without real users: a mix of authenticated users (login -> me -> chat) and anonymous guests
 * (health -> chat), each chatting a few messages with think time between them and then leaving.
 * Seeded, so the same options give the same traffic.
 */
export interface TrafficOptions {
  /** Base URL users talk to (the recording proxy), e.g. http://127.0.0.1:8080. */
  target: string;
  users?: number;
  /** Share of users that log in; the rest chat as guests. */
  authenticatedShare?: number;
  /** Chat messages per user, inclusive range. */
  messages?: [number, number];
  /** Pause before each message and before leaving, inclusive range. */
  thinkMs?: [number, number];
  /** Users arrive spread over this long. */
  spreadMs?: number;
  seed?: number;
  /** Bound for one user's whole visit. */
  userTimeoutMs?: number;
}

export interface TrafficResult {
  users: number;
  authenticated: number;
  completed: number;
  messages: number;
  failures: { user: string; error: string }[];
}

export const TRAFFIC_DEFAULTS = {
  users: 12,
  authenticatedShare: 0.6,
  messages: [2, 4] as [number, number],
  thinkMs: [100, 400] as [number, number],
  spreadMs: 3_000,
  seed: 7,
  userTimeoutMs: 20_000,
};

interface Visit {
  name: string;
  authenticated: boolean;
  startMs: number;
  thinks: number[];
}

/** Runs every user to completion; a user who fails is reported, never thrown. */
export async function generateTraffic(options: TrafficOptions): Promise<TrafficResult> {
  const o = { ...TRAFFIC_DEFAULTS, ...options };
  const visits = planVisits(o);
  const failures: TrafficResult['failures'] = [];
  let messages = 0;
  await Promise.all(
    visits.map(async (v) => {
      await sleep(v.startMs);
      try {
        const sent = await withTimeout(visit(o.target, v), o.userTimeoutMs, v.name);
        messages += sent;
      } catch (error) {
        failures.push({ user: v.name, error: (error as Error).message });
      }
    }),
  );
  return { users: visits.length, authenticated: visits.filter((v) => v.authenticated).length, completed: visits.length - failures.length, messages, failures };
}

/** Who arrives when, logs in or not, and thinks how long: decided up front from the seed. */
export function planVisits(o: typeof TRAFFIC_DEFAULTS): Visit[] {
  const random = seededRandom(o.seed);
  const between = ([lo, hi]: [number, number]) => Math.round(lo + random() * (hi - lo));
  return Array.from({ length: o.users }, (_, i) => {
    const count = between(o.messages);
    return {
      name: `demo-user-${String(i + 1).padStart(3, '0')}`,
      authenticated: random() < o.authenticatedShare,
      startMs: Math.round((i * o.spreadMs) / Math.max(1, o.users) + random() * 50),
      // one pause per message, and one before leaving
      thinks: Array.from({ length: count + 1 }, () => between(o.thinkMs)),
    };
  });
}

async function visit(base: string, v: Visit): Promise<number> {
  // Each user on connections of its own and with a User-Agent of its own, as real users are:
  // the recorder would otherwise rightly take two guests on one connection for one session.
  const agent = new Agent({ connections: 1 });
  const headers = { 'user-agent': `reprise-demo/1 (${v.name})` };
  try {
    let token: string | undefined;
    if (v.authenticated) {
      const login = await json(agent, base, 'POST', '/api/auth/login', { ...headers, 'content-type': 'application/json' }, JSON.stringify({ username: v.name, password: 'secret' }));
      token = (login as { token: string }).token;
      await json(agent, base, 'GET', '/api/me', { ...headers, authorization: `Bearer ${token}` });
    } else {
      await json(agent, base, 'GET', '/api/health', headers);
    }
    const url = new URL(`/ws/chat${token ? `?token=${token}` : ''}`, base.replace(/^http/, 'ws'));
    return await chat(url, headers, v);
  } finally {
    await agent.close();
  }
}

async function json(agent: Dispatcher, base: string, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<unknown> {
  const res = await request(new URL(path, base), { dispatcher: agent, method, headers, ...(body !== undefined && { body }) });
  const parsed = (await res.body.json()) as unknown;
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode}`);
  return parsed;
}

/** Waits for `ready` (through any `queued`), chats, leaves, and waits for the server's close. */
function chat(url: URL, headers: Record<string, string>, v: Visit): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const inbox = new Inbox();
    let sent = 0;
    ws.on('message', (data) => inbox.push(JSON.parse(data.toString()) as { type?: string }));
    ws.on('error', reject);
    ws.on('close', (code) => {
      inbox.close();
      if (code === 1000) resolve(sent);
      else reject(new Error(`chat closed with ${code}`));
    });
    ws.on('open', () => {
      void (async () => {
        await inbox.next('ready');
        for (let i = 0; i < v.thinks.length - 1; i++) {
          await sleep(v.thinks[i]!);
          ws.send(JSON.stringify({ type: 'message', text: `hello ${i + 1} from ${v.name}` }));
          sent++;
          await inbox.next('reply');
        }
        await sleep(v.thinks.at(-1)!);
        ws.send(JSON.stringify({ type: 'leave' }));
      })().catch((error: Error) => {
        ws.terminate();
        reject(error);
      });
    });
  });
}

/** Server frames in arrival order; next(type) resolves with the next frame of that type. */
class Inbox {
  private readonly frames: { type?: string }[] = [];
  private waiter: { type: string; resolve: () => void; reject: (e: Error) => void } | undefined;
  private closed = false;

  push(frame: { type?: string }): void {
    this.frames.push(frame);
    this.check();
  }

  close(): void {
    this.closed = true;
    this.check();
  }

  next(type: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiter = { type, resolve, reject };
      this.check();
    });
  }

  private check(): void {
    const w = this.waiter;
    if (!w) return;
    while (this.frames.length > 0) {
      if (this.frames.shift()!.type === w.type) {
        this.waiter = undefined;
        return w.resolve();
      }
    }
    if (this.closed) {
      this.waiter = undefined;
      w.reject(new Error(`chat closed before "${w.type}"`));
    }
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, who: string): Promise<T> {
  const ac = new AbortController();
  try {
    return await Promise.race([work, sleep(ms, undefined, { signal: ac.signal }).then(() => Promise.reject(new Error(`${who} did not finish within ${ms}ms`)))]);
  } finally {
    ac.abort();
  }
}
