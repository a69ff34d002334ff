import { randomInt } from 'node:crypto';
import { Option, type Command } from 'commander';
import { parseDuration } from '../model/duration.js';
import { UsageError } from '../model/errors.js';
import { parseFifoSpec } from '../replay/fifo.js';
import { parseSpeed, type PickMode } from '../replay/plan.js';
import { parseProfile } from '../replay/profile.js';
import type { ReplayOptions } from '../replay/run-replay.js';
import { loadUsers, parseVary } from '../replay/vary.js';
import { METRICS, parseThreshold } from '../report/thresholds.js';

/** The load flags replay and compare share, declared once. */
export interface LoadFlags {
  speed: string;
  multiply?: string;
  stagger?: string;
  profile?: string;
  pick: PickMode;
  seed?: string;
  vary: string[];
  users?: string;
  timeout: string;
  maxLag?: string;
  wsKey?: string;
  threshold: string[];
  expectFifo?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addLoadFlags(cmd: Command): Command {
  return cmd
    .option('--speed <x>', 'time scale: 0.1 ... 100, or max (gaps and think time divided by X)', '1')
    .option('--multiply <n>', 'copies of every recorded session')
    .option('--stagger <duration>', "spread of one session's copies (default: the gap to the next session)")
    .option('--profile <spec>', 'load stages K/T*M,... instead of the recorded arrivals, e.g. 1/10s*10,10/10s*100')
    .addOption(new Option('--pick <how>', 'how --profile draws sessions').choices(['roundrobin', 'random']).default('roundrobin'))
    .option('--seed <n>', 'seed for --pick random (default: random, printed in the stored run)')
    .option('--vary <rule>', 'rewrite a value per copy: LOCATION=TEMPLATE with {{value}} {{copy}} {{session}} (repeatable)', collect, [])
    .option('--users <file>', 'CSV with a header row: copy N uses row N mod rows; columns are locations or JSON field names')
    .option('--timeout <duration>', 'per exchange and per awaited server message', '30s')
    .option('--max-lag <duration>', 'starts later than this are not run and counted as missed (default: no limit)')
    .option('--ws-key <jsonpath>', 'pair server WebSocket messages with the recorded ones by this field, e.g. $.type')
    .option('--threshold <expr>', 'pass/fail check, e.g. success_rate>=0.99, p95<500, p99{tag:authenticated}<800 (repeatable)', collect, [])
    .option('--expect-fifo <spec>', 'queue fairness: sessions reach this server message in the order they joined, e.g. ws:$.type=ready (ties: ~10ms, or ws:$.type=ready~50ms)')
    .addHelpText('after', `\nThreshold metrics (filters in braces):\n${metricList()}`);
}

function metricList(): string {
  return Object.entries(METRICS)
    .map(([name, m]) => `  ${`${name}${m.filters.length ? `{${m.filters.map((f) => `${f}:`).join(',')}}` : ''}`.padEnd(40)} ${m.help}`)
    .join('\n');
}

export type LoadOptions = Pick<
  ReplayOptions,
  'speed' | 'multiply' | 'staggerMs' | 'profile' | 'pick' | 'seed' | 'vary' | 'users' | 'timeoutMs' | 'maxLagMs' | 'wsKey' | 'thresholds' | 'expectFifo'
>;

/** Every flag parsed and checked before anything connects: bad input is one line and exit 2. */
export async function loadOptions(f: LoadFlags): Promise<LoadOptions> {
  const seed = f.seed !== undefined ? wholeNumber(f.seed, '--seed', 0) : f.pick === 'random' ? randomInt(2 ** 31) : undefined;
  return {
    speed: parseSpeed(f.speed),
    ...(f.multiply !== undefined && { multiply: wholeNumber(f.multiply, '--multiply', 1) }),
    ...(f.stagger !== undefined && { staggerMs: parseDuration(f.stagger, '--stagger') }),
    ...(f.profile !== undefined && { profile: parseProfile(f.profile) }),
    pick: f.pick,
    ...(seed !== undefined && { seed }),
    vary: f.vary.map(parseVary),
    ...(f.users !== undefined && { users: await loadUsers(f.users) }),
    timeoutMs: parseDuration(f.timeout, '--timeout'),
    ...(f.maxLag !== undefined && { maxLagMs: parseDuration(f.maxLag, '--max-lag') }),
    ...(f.wsKey !== undefined && { wsKey: f.wsKey }),
    thresholds: f.threshold.map(parseThreshold),
    ...(f.expectFifo !== undefined && { expectFifo: parseFifoSpec(f.expectFifo) }),
  };
}

function wholeNumber(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`bad ${flag} "${text}": use a whole number >= ${min}`);
  return n;
}
