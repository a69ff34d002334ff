import { parseDuration } from '../model/duration.js';
import { UsageError } from '../model/errors.js';

/**
 * One load stage `K/T*M`: bursts of `burst` sessions every `everyMs` until `total` sessions of
 * this stage have started. `index` is 1-based (stage 0 is the recorded arrival pattern).
 */
export interface Stage {
  index: number;
  spec: string;
  burst: number;
  everyMs: number;
  total: number;
}

const STAGE = /^(\d+)\/([^*]+)\*(\d+)$/;

/** `1/10s*10,1/1s*50,10/10s*100`: stages run one after the other. */
export function parseProfile(spec: string): Stage[] {
  const parts = spec.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw badProfile(spec, 'empty stage');
  return parts.map((part, i) => parseStage(part, i + 1, spec));
}

function parseStage(part: string, index: number, spec: string): Stage {
  const m = STAGE.exec(part);
  if (!m) throw badProfile(spec, `stage "${part}" is not K/T*M`);
  const burst = Number(m[1]);
  const total = Number(m[3]);
  let everyMs: number;
  try {
    everyMs = parseDuration(m[2]!, 'stage interval');
  } catch {
    throw badProfile(spec, `stage "${part}" has a bad interval "${m[2]}"`);
  }
  if (burst < 1 || total < 1) throw badProfile(spec, `stage "${part}" needs K >= 1 and M >= 1`);
  if (everyMs <= 0) throw badProfile(spec, `stage "${part}" needs an interval above zero`);
  return { index, spec: part, burst, everyMs, total };
}

function badProfile(spec: string, why: string): UsageError {
  return new UsageError(`bad --profile "${spec}": ${why} (e.g. 1/10s*10,10/10s*100)`);
}

/** Planned offsets of one stage's starts relative to the stage's own beginning, in order. */
export function stageOffsets(stage: Stage): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < stage.total; i++) offsets.push(Math.floor(i / stage.burst) * stage.everyMs);
  return offsets;
}

/** A stage lasts one interval per burst: the next stage's first burst comes one interval after its last. */
export function stageDurationMs(stage: Stage): number {
  return Math.ceil(stage.total / stage.burst) * stage.everyMs;
}
