// Real users for the reference chat backends, played through a recording proxy:
//   tsx examples/traffic.ts --target http://127.0.0.1:8080 [--users 24] [--authenticated 0.5] [--seed 7]
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { generateTraffic, type TrafficOptions, type TrafficResult } from '../src/demo/traffic.js';

export interface ScenarioTraffic extends TrafficResult {
  /** Logins refused for a wrong password. */
  mistyped: number;
}

/**
 * The demo's synthetic users (authenticated: login -> me -> chat; guests: health -> chat; each
 * chatting a few messages with think time, then leaving), plus a few people who mistype their
 * password. Those matter to the comparison: the two backends word that 401 differently
 * (PROTOCOL.md, known difference 2), and a recording without one cannot show it.
 */
export async function playUsers(options: TrafficOptions & { mistyped?: number }): Promise<ScenarioTraffic> {
  const { mistyped = 2, ...traffic } = options;
  const [result, refused] = await Promise.all([generateTraffic(traffic), mistypeLogins(options.target, mistyped)]);
  return { ...result, mistyped: refused };
}

/** Each one a visitor of its own (own User-Agent) who gets a 401 and goes away. */
async function mistypeLogins(target: string, n: number): Promise<number> {
  const attempts = Array.from({ length: n }, async (_, i) => {
    const res = await fetch(new URL('/api/auth/login', target), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': `reprise-example/1 (typo-${i + 1})` },
      body: JSON.stringify({ username: `typo-${i + 1}`, password: 'secret?' }),
    });
    await res.arrayBuffer();
    return res.status === 401;
  });
  return (await Promise.all(attempts)).filter(Boolean).length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      users: { type: 'string', default: '24' },
      authenticated: { type: 'string', default: '0.5' },
      seed: { type: 'string', default: '7' },
    },
  });
  if (values.target === undefined) {
    console.error('usage: tsx examples/traffic.ts --target URL [--users N] [--authenticated SHARE] [--seed N]');
    process.exit(2);
  }
  const r = await playUsers({
    target: values.target,
    users: Number(values.users),
    authenticatedShare: Number(values.authenticated),
    seed: Number(values.seed),
  });
  console.log(`${r.completed}/${r.users} users completed (${r.authenticated} logged in, ${r.messages} messages), ${r.mistyped} mistyped logins`);
  for (const f of r.failures) console.log(`  ${f.user}: ${f.error}`);
  process.exitCode = r.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
