// npm run example:python-vs-go [-- --quick] [-- --keep DIR]
// The story reprise exists for, end to end: see docs/python-vs-go.md.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backendsAvailable } from './backends.js';
import { REPO_DIR } from './python-vs-go/reprise-cli.js';
import { runScenario } from './python-vs-go/scenario.js';
import { FULL, QUICK } from './python-vs-go/settings.js';
import { renderScenario } from './python-vs-go/tables.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, keep: { type: 'string' } } });

const avail = backendsAvailable();
if (avail.missing.length > 0) {
  console.error(`missing Debian packages: ${avail.missing.join(', ')}`);
  console.error(`install them with: sudo ${avail.aptLine}`);
  process.exit(2);
}

console.log('building reprise (tsc -p tsconfig.json)');
const build = spawnSync(process.execPath, [path.join(REPO_DIR, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: REPO_DIR, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const workDir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'reprise-python-vs-go-')));
try {
  const result = await runScenario({ settings: values.quick ? QUICK : FULL, workDir, log: (line) => console.log(line) });
  console.log(`\n${renderScenario(result)}`);
  if (values.keep) console.log(`\nrecording, JSON reports and HTML report kept in ${workDir}`);
} finally {
  if (!values.keep) await rm(workDir, { recursive: true, force: true });
}
