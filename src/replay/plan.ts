import { UsageError } from '../model/errors.js';
import type { SessionTag } from '../model/session.js';
import type { RecordingStore } from '../store/recording-store.js';
import { stageDurationMs, stageOffsets, type Stage } from './profile.js';
import { seededRandom } from '../model/random.js';

/**
 * The plan, made before any socket opens (k6 style): who starts when. It is a pure function of
 * the recording's session index and the load options, so every load shape is tested without a
 * network, and the scheduler only has to follow it.
 */
export interface SessionIndexEntry {
  id: string;
  /** Epoch µs. */
  startedAt: number;
  tags: SessionTag[];
}

export type PickMode = 'roundrobin' | 'random';

export interface PlanOptions {
  /** Divides recorded gaps and think time; Infinity is `--speed max`. Default 1. */
  speed?: number;
  /** Copies of every recorded session (recorded arrival pattern only). Default 1. */
  multiply?: number;
  /** Spread of one session's copies; default: the gap to the next session at this speed. */
  staggerMs?: number;
  /** Load stages instead of the recorded arrival pattern. */
  profile?: Stage[];
  pick?: PickMode;
  seed?: number;
}

/** One virtual user's start; `copy` is its index in the plan, shared by every target role. */
export interface PlannedStart {
  copy: number;
  sessionId: string;
  /** 0 for the recorded arrival pattern, else the 1-based profile stage. */
  stage: number;
  plannedOffsetMs: number;
}

export interface Plan {
  starts: PlannedStart[];
  stages: { index: number; spec: string }[];
  /** Every tag of the sessions the plan draws from, so thresholds can name only real tags. */
  tags: SessionTag[];
  /** Planned offset of the last start. */
  lastStartMs: number;
}

export const RECORDED_STAGE = { index: 0, spec: 'recorded' } as const;

export function buildPlan(index: readonly SessionIndexEntry[], options: PlanOptions = {}): Plan {
  if (index.length === 0) throw new UsageError('the recording has no sessions to replay');
  if (options.profile && (options.multiply ?? 1) !== 1) {
    throw new UsageError('--multiply applies to the recorded arrival pattern; with --profile, raise the stage counts instead');
  }
  if (options.profile && options.staggerMs !== undefined) throw new UsageError('--stagger applies to --multiply, not to --profile');
  const starts = options.profile ? profileStarts(index, options.profile, options) : recordedStarts(index, options);
  const tags = [...new Set(index.flatMap((s) => s.tags))].sort();
  const stages = options.profile ? options.profile.map(({ index: i, spec }) => ({ index: i, spec })) : [{ ...RECORDED_STAGE }];
  return { starts, stages, tags, lastStartMs: starts.at(-1)?.plannedOffsetMs ?? 0 };
}

function recordedStarts(index: readonly SessionIndexEntry[], options: PlanOptions): PlannedStart[] {
  const speed = options.speed ?? 1;
  const copies = options.multiply ?? 1;
  if (!Number.isInteger(copies) || copies < 1) throw new UsageError(`bad --multiply ${copies}: use a whole number >= 1`);
  const first = index[0]!.startedAt;
  const scaled = (us: number): number => (Number.isFinite(speed) ? us / 1000 / speed : 0);
  const meanGap = index.length > 1 ? scaled(index.at(-1)!.startedAt - first) / (index.length - 1) : 0;
  const starts: Omit<PlannedStart, 'copy'>[] = [];
  index.forEach((session, i) => {
    const base = scaled(session.startedAt - first);
    const next = index[i + 1];
    const spread = options.staggerMs ?? (next ? scaled(next.startedAt - session.startedAt) : meanGap);
    for (let k = 0; k < copies; k++) {
      starts.push({ sessionId: session.id, stage: 0, plannedOffsetMs: base + (k * spread) / copies });
    }
  });
  // Stable: equal offsets keep recorded order, so copy numbers are reproducible.
  starts.sort((a, b) => a.plannedOffsetMs - b.plannedOffsetMs);
  return starts.map((s, copy) => ({ copy, ...s }));
}

function profileStarts(index: readonly SessionIndexEntry[], stages: readonly Stage[], options: PlanOptions): PlannedStart[] {
  const draw = picker(index.length, options.pick ?? 'roundrobin', options.seed ?? 1);
  const starts: PlannedStart[] = [];
  let stageStart = 0;
  for (const stage of stages) {
    for (const offset of stageOffsets(stage)) {
      starts.push({ copy: starts.length, sessionId: index[draw()]!.id, stage: stage.index, plannedOffsetMs: stageStart + offset });
    }
    stageStart += stageDurationMs(stage);
  }
  return starts;
}

function picker(count: number, pick: PickMode, seed: number): () => number {
  if (pick === 'roundrobin') {
    let next = 0;
    return () => next++ % count;
  }
  const random = seededRandom(seed);
  return () => Math.floor(random() * count);
}

/** `--speed`: 0.1 ... 100, or `max` (no think time, no gaps; dependencies still wait). */
export function parseSpeed(text: string): number {
  if (text.trim() === 'max') return Number.POSITIVE_INFINITY;
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed < 0.1 || speed > 100) throw new UsageError(`bad --speed "${text}": use 0.1 ... 100 or max`);
  return speed;
}

/** Reads the session index in start order, keeping only what the plan needs (events stay on disk). */
export async function readSessionIndex(store: RecordingStore): Promise<SessionIndexEntry[]> {
  const index: SessionIndexEntry[] = [];
  for await (const s of store.sessions()) index.push({ id: s.id, startedAt: s.startedAt, tags: s.tags });
  return index;
}
