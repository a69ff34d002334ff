/** One small piece of a job's work; true while more remains. */
export type Step = () => boolean;

export interface SliceBudget {
  /** Every turn with work gets at least this much (and at least one step). */
  minMs: number;
  /** No slice runs longer than this (give or take the step that crosses it). */
  maxMs: number;
  /** When the last slice left work over: this share of the time the rest had since, within the two. */
  share: number;
}

/**
 * A request that arrives while the main thread does background work (stitching, encoding,
 * handing values to LevelDB) waits until that work yields, so the work is done in slices, one
 * per turn of the event loop. A slice that starts fresh is short (minMs), and so is the wait
 * behind it. Work left over means traffic is keeping the loop busy: the next slice gets a share
 * of the time traffic had meanwhile (0.5 gives background work a third of the thread), so a
 * recorder that falls behind catches up rather than dropping events.
 * All background work of a recording shares one TimeSlices, so jobs that fall due together share
 * a slice rather than each taking its own; they take turns step by step.
 */
export class TimeSlices {
  private readonly jobs: Step[] = [];
  private scheduled = false;
  /** When the last slice ended with work left over. */
  private leftOverAt: number | undefined;

  constructor(
    private readonly budget: SliceBudget = DEFAULT_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `step` from the next turn on, until it returns false. */
  run(step: Step): void {
    this.jobs.push(step);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.slice();
      if (this.jobs.length > 0) this.schedule();
    });
  }

  private slice(): void {
    const start = this.now();
    const { minMs, maxMs, share } = this.budget;
    const earned = this.leftOverAt === undefined ? 0 : (start - this.leftOverAt) * share;
    const until = start + Math.min(maxMs, Math.max(minMs, earned));
    let now = start;
    // A job handed over by a step gets a slice of its own scheduled, which finds nothing to do
    // if this slice finished that job too.
    while (this.jobs.length > 0) {
      const step = this.jobs.shift()!;
      if (step()) this.jobs.push(step);
      now = this.now();
      if (now >= until) break;
    }
    this.leftOverAt = this.jobs.length > 0 ? now : undefined;
  }
}

const DEFAULT_BUDGET: SliceBudget = { minMs: 0.25, maxMs: 4, share: 0.5 };
