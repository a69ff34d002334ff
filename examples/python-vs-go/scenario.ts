import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CompareReport, ReplayReport } from '../../src/report/model.js';
import { startBackend, type Backend, type BackendKind } from '../backends.js';
import { playUsers, type ScenarioTraffic } from '../traffic.js';
import { checkKnownDifferences, type KnownDifferencesCheck } from './known-differences.js';
import { CLI, reprise, shellLine, startRecord } from './reprise-cli.js';
import type { ScenarioSettings } from './settings.js';

/**
 * The whole story as a recipe: record real users in front of the Python backend, replay the
 * ramp against fresh Python and Go backends, compare the two on the same sessions, and replay
 * once more against Python with the blocking token check. Every reprise step is the CLI
 * command a user would type; its JSON report (--out) is what the tables are made from.
 */
export interface ScenarioOptions {
  settings: ScenarioSettings;
  /** Holds the recording store and the reports. */
  workDir: string;
  /** Progress lines: each step and the command it runs. */
  log: (line: string) => void;
}

export interface ScenarioResult {
  settings: ScenarioSettings;
  traffic: ScenarioTraffic;
  /** The line `reprise record` printed when it stopped. */
  recorded: string;
  python: ReplayReport;
  go: ReplayReport;
  pythonBlocking: ReplayReport;
  compare: CompareReport;
  /** What `reprise compare` printed: its own side-by-side summary and the differences. */
  compareOutput: string;
  known: KnownDifferencesCheck;
}

const RECORDING = 'python-vs-go';
/** A replay or compare whose threshold or FIFO check fails exits 99: a finding, not an error. */
const FINDING_CODES = [0, 99];

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build reprise first (npx tsc -p tsconfig.json)`);
  const s = o.settings;
  const store = path.join(o.workDir, 'recordings');
  const run = async (args: string[]): Promise<string> => {
    o.log(`$ ${shellLine(args)}`);
    return (await reprise(args, FINDING_CODES)).stdout;
  };
  const backends: Backend[] = [];
  const start = async (kind: BackendKind, blockingAuth = false): Promise<Backend> => {
    const b = await startBackend(kind, { ...s.backend, blockingAuth });
    backends.push(b);
    o.log(`started chat-${kind}${blockingAuth ? ' --blocking-auth' : ''} on ${b.url}`);
    return b;
  };

  try {
    o.log(`recording ${s.users} users (plus mistyped logins) through reprise record in front of Python`);
    const origin = await start('python');
    const recordArgs = ['record', '--target', origin.url, '--listen', '127.0.0.1:0', '--store', store, '--name', RECORDING];
    o.log(`$ ${shellLine(recordArgs)}`);
    const { traffic, recorded } = await record(recordArgs, s);
    o.log(recorded);
    await origin.stop();

    // Fresh processes: no state from the recording, and tokens it captured are unknown to them.
    const [python, go, pythonBlocking] = await Promise.all([start('python'), start('go'), start('python', true)]);
    const load = ['--store', store, '--profile', s.profile, '--speed', String(s.speed), '--ws-key', s.wsKey, '--expect-fifo', s.fifo];
    const replay = async (label: string, target: Backend): Promise<ReplayReport> => {
      const out = path.join(o.workDir, `replay-${label}.json`);
      o.log(`replaying ${s.profile} against ${label}`);
      await run(['replay', RECORDING, '--target', target.url, ...load, '--quiet', '--out', out]);
      return readJson<ReplayReport>(out);
    };
    const pythonReport = await replay('python', python);
    const goReport = await replay('go', go);

    // At the recorded pace: the question here is what differs, not what breaks under load.
    const compareOut = path.join(o.workDir, 'compare.json');
    o.log('comparing Python (primary) with Go (candidate) on the recorded sessions');
    const compareOutput = await run(['compare', RECORDING, '--store', store, '--primary', python.url, '--candidate', go.url, '--speed', String(s.speed), '--ws-key', s.wsKey, '--quiet', '--out', compareOut, '--html', path.join(o.workDir, 'compare.html')]);
    const compare = await readJson<CompareReport>(compareOut);

    const blockingReport = await replay('python-blocking-auth', pythonBlocking);
    return {
      settings: s,
      traffic,
      recorded,
      python: pythonReport,
      go: goReport,
      pythonBlocking: blockingReport,
      compare,
      compareOutput,
      known: checkKnownDifferences(compare),
    };
  } finally {
    await Promise.allSettled(backends.map((b) => b.stop()));
  }
}

/** Plays the users through a recorder that is stopped whatever happens to them. */
async function record(args: string[], s: ScenarioSettings): Promise<{ traffic: ScenarioTraffic; recorded: string }> {
  const recorder = await startRecord(args);
  const traffic = await playUsers({ target: recorder.url, users: s.users, authenticatedShare: s.authenticatedShare }).catch(
    async (error: unknown) => {
      await recorder.stop().catch(() => undefined);
      throw error;
    },
  );
  const recorded = await recorder.stop();
  const failed = traffic.failures[0];
  if (failed !== undefined) throw new Error(`recording: ${traffic.failures.length} users failed, e.g. ${failed.user}: ${failed.error}`);
  return { traffic, recorded };
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}
