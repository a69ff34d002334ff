import { StoreError, UsageError } from '../model/errors.js';
import type { Run, RunKind } from '../model/run.js';
import { listRecordings } from '../store/catalog.js';
import { RecordingStore } from '../store/recording-store.js';
import type { RunReport } from './model.js';

/**
 * Runs live inside the recording they replayed. These find them for `reprise runs` and
 * `reprise report`, across every recording of a store unless one is named.
 */
export interface RunListing {
  id: string;
  kind: RunKind;
  recording: string;
  /** ISO-8601. */
  startedAt: string;
  targets: { role: string; url: string }[];
  /** From the stored report; null when the run stored none (it did not finish). */
  ok: boolean | null;
}

export async function listRuns(root: string, recording?: string): Promise<RunListing[]> {
  const out: RunListing[] = [];
  for (const name of await recordingNames(root, recording)) {
    await eachRun(root, name, (run) => void out.push(listing(run)));
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

export interface FoundRun {
  run: Run;
  report: RunReport;
}

/** The run with this id: in the named recording, or in the only recording that has it. */
export async function findRun(root: string, id: string, recording?: string): Promise<FoundRun> {
  const hits: { name: string; run: Run }[] = [];
  for (const name of await recordingNames(root, recording)) {
    const store = await RecordingStore.open(root, name);
    try {
      const run = await store.run(id);
      if (run) hits.push({ name, run });
    } finally {
      await store.close();
    }
  }
  if (hits.length === 0) {
    const where = recording ? `recording "${recording}"` : `any recording in ${root}`;
    throw new StoreError('REPRISE_NO_RUN', `no run "${id}" in ${where} (see: reprise runs --store ${root})`);
  }
  if (hits.length > 1) throw new UsageError(`run "${id}" exists in recordings ${hits.map((h) => `"${h.name}"`).join(', ')}: choose one with --recording`);
  const { name, run } = hits[0]!;
  if (!isRunReport(run.report)) throw new StoreError('REPRISE_NO_REPORT', `run "${id}" in recording "${name}" has no report (it did not finish)`);
  return { run, report: run.report };
}

/** Recordings a run can be read from now: a recording being recorded is locked and skipped. */
async function recordingNames(root: string, recording?: string): Promise<string[]> {
  if (recording) return [recording];
  const entries = await listRecordings(root);
  return entries.filter((e) => e.state === 'complete' || e.state === 'incomplete').map((e) => e.name);
}

async function eachRun(root: string, name: string, visit: (run: Run) => void): Promise<void> {
  const store = await RecordingStore.open(root, name);
  try {
    for await (const run of store.runs()) visit(run);
  } finally {
    await store.close();
  }
}

function listing(run: Run): RunListing {
  return {
    id: run.id,
    kind: run.kind,
    recording: run.recording,
    startedAt: new Date(run.startedAt / 1000).toISOString(),
    targets: run.targets.map((t) => ({ role: t.role, url: t.url })),
    ok: isRunReport(run.report) ? run.report.ok : null,
  };
}

function isRunReport(value: unknown): value is RunReport {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return (kind === 'replay' || kind === 'compare') && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** `reprise runs` as a table. */
export function formatRuns(runs: RunListing[]): string {
  if (runs.length === 0) return 'no runs stored';
  const rows = runs.map((r) => [r.id, r.kind, r.recording, r.startedAt, r.targets.map((t) => `${t.role}=${t.url}`).join(' '), r.ok === null ? 'unfinished' : r.ok ? 'PASS' : 'FAIL']);
  const head = ['RUN', 'KIND', 'RECORDING', 'STARTED', 'TARGETS', 'VERDICT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
