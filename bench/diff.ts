/**
 * npm run bench:diff [-- --seconds 4]
 *
 * Response pairs diffed per second on one core, for 2 KB JSON bodies, side by side in one run:
 *   identical        byte-equal bodies (the common case: equal bytes are never parsed)
 *   few differences  three fields differ (a value, a missing key, an array element)
 *   reordered keys   the same document with its keys in another order (the texts stop lining up)
 * Each case runs through what compare runs per exchange (response model, status, headers, body,
 * and the accumulator), and, for the differing cases, once more with both bodies parsed first and
 * diffed as documents, the way a structural diff without the side-by-side pass would.
 */
import { availableParallelism, cpus } from 'node:os';
import { DiffAccumulator } from '../src/diff/accumulator.js';
import { parseBody } from '../src/diff/body-model.js';
import { diffBodies } from '../src/diff/body-diff.js';
import type { Difference } from '../src/diff/difference.js';
import { diffResponses } from '../src/diff/exchange-diff.js';
import type { ResponseModel } from '../src/diff/response-model.js';

const BAR = 20_000;
const POOL = 512;
const secondsFlag = process.argv.indexOf('--seconds');
const seconds = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : 4;

/** A 2 KB order document: a customer, twenty line items, totals, links. */
function document(i: number): Record<string, unknown> {
  return {
    id: 100_000 + i,
    status: 'confirmed',
    customer: { id: `c_${(i * 7919).toString(16)}`, name: 'Ada Lovelace', email: 'ada@example.com', created_at: '2026-03-01T11:00:00.123Z', tier: 'gold' },
    items: Array.from({ length: 20 }, (_, k) => ({ sku: `SKU-${1000 + k}`, title: `Item number ${k}`, qty: 1 + (k % 3), price: 9.5 + k, tags: ['home', 'sale'] })),
    totals: { net: 189.5, tax: 36.01, gross: 225.51, currency: 'EUR' },
    links: { self: `/orders/${100_000 + i}`, invoice: `/orders/${100_000 + i}/invoice` },
  };
}

function fewDifferences(doc: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(doc) as { status: string; customer: Record<string, unknown>; items: { price: number }[] };
  copy.status = 'CONFIRMED';
  delete copy.customer.tier;
  copy.items[7]!.price = 0;
  return copy;
}

function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

function response(body: unknown): ResponseModel {
  return { status: 200, headers: new Map([['content-type', 'application/json']]), bytes: Buffer.from(JSON.stringify(body)), truncated: false };
}

interface Case {
  name: string;
  pairs: [ResponseModel, ResponseModel][];
}

const docs = Array.from({ length: POOL }, (_, i) => document(i));
const cases: Case[] = [
  { name: 'identical', pairs: docs.map((d) => [response(d), response(d)]) },
  { name: 'few differences', pairs: docs.map((d) => [response(d), response(fewDifferences(d))]) },
  { name: 'reordered keys', pairs: docs.map((d) => [response(d), response(reordered(d))]) },
];

/**
 * Pairs per CPU-second: the best of several rounds of about `seconds / ROUNDS` each. CPU time
 * rather than wall time, and the best round, because the figure is for one core and a shared
 * machine's neighbours should not be in it.
 */
const ROUNDS = 8;

function measure(pairs: Case['pairs'], diff: (a: ResponseModel, b: ResponseModel, found: Difference[]) => void): number {
  const found: Difference[] = [];
  const pass = () => {
    for (const [a, b] of pairs) {
      found.length = 0;
      diff(a, b, found);
    }
  };
  for (let i = 0; i < 20; i++) pass();
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const wall = performance.now();
    const cpu = process.cpuUsage();
    while (performance.now() - wall < (seconds * 1000) / ROUNDS) {
      pass();
      n += pairs.length;
    }
    const used = process.cpuUsage(cpu);
    best = Math.max(best, n / ((used.user + used.system) / 1e6));
  }
  return best;
}

const accumulator = new DiffAccumulator();
const compared = (a: ResponseModel, b: ResponseModel, found: Difference[]) => {
  diffResponses(a, b, (d) => found.push(d));
  accumulator.add({ route: 'GET /orders/:id', at: 's#0 seq 1', raw: found, noise: [] });
};
const parsedFirst = (a: ResponseModel, b: ResponseModel, found: Difference[]) => {
  diffBodies(parseBody(a.bytes), parseBody(b.bytes), 'body', (d) => found.push(d));
  accumulator.add({ route: 'GET /orders/:id', at: 's#0 seq 1', raw: found, noise: [] });
};

const size = cases[1]!.pairs[0]![0].bytes.length;
console.log(`diff benchmark: ${size}-byte JSON bodies, ${POOL} distinct pairs, one core: pairs per CPU-second, best of ${ROUNDS} rounds in ${seconds}s`);
console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}\n`);
const rows: string[][] = [['case', 'compare path', 'parsed first', 'ratio', `vs bar ${BAR.toLocaleString('en-US')}/s`]];
for (const c of cases) {
  const fast = measure(c.pairs, compared);
  const parsed = c.name === 'identical' ? undefined : measure(c.pairs, parsedFirst);
  rows.push([
    c.name,
    `${Math.round(fast).toLocaleString('en-US')} pairs/s`,
    parsed === undefined ? '–' : `${Math.round(parsed).toLocaleString('en-US')} pairs/s`,
    parsed === undefined ? '–' : `${(fast / parsed).toFixed(2)}x`,
    `${(fast / BAR).toFixed(1)}x`,
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '));
const found = accumulator.routes()[0]!.differences.map((d) => `${d.path} ${d.kind}`);
console.log(`\nfields the few-differences case reports: ${found.join(', ')}`);
