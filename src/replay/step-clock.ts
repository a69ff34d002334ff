/**
 * Recorded causality between a user's steps (HTTP exchanges, WebSocket handshakes): a step that
 * started after another ended must wait for that one in replay too, and its think time counts
 * from when that one ended in replay. Steps that overlapped in the recording overlap again.
 *
 * The frontier is the latest-ending step known finished; `pending` holds steps still running
 * or not yet passed by a later start. Sequential sessions keep one entry here. The answer is
 * synchronous whenever nothing needs waiting for: at --speed max this runs once per request.
 */
export interface Anchor {
  /** Recorded end (epoch µs) and replayed end (monotonic ms) of the step the next one follows. */
  recordedEnd: number;
  atMs: number;
}

interface Step {
  recordedEnd: number;
  done: Promise<number>;
  endedMs?: number;
}

export class StepClock {
  private frontier: Anchor;
  private pending: Step[] = [];

  constructor(sessionStartedAt: number, startedMs: number) {
    this.frontier = { recordedEnd: sessionStartedAt, atMs: startedMs };
  }

  add(recordedEnd: number, done: Promise<number>): void {
    const step: Step = { recordedEnd, done };
    void done.then((ms) => (step.endedMs = ms));
    this.pending.push(step);
  }

  /** The anchor once every step that ended (in the recording) before `recordedStart` is done. */
  anchorFor(recordedStart: number): Anchor | Promise<Anchor> {
    if (this.pending.length === 1) return this.anchorAfterOne(recordedStart);
    let due: Step[] | undefined;
    let still: Step[] | undefined;
    for (const s of this.pending) {
      if (s.recordedEnd <= recordedStart) (due ??= []).push(s);
      else (still ??= []).push(s);
    }
    if (!due) return this.frontier;
    this.pending = still ?? [];
    if (due.every((s) => s.endedMs !== undefined)) return this.advance(due);
    return Promise.all(due.map((s) => s.done)).then(() => this.advance(due));
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending.map((s) => s.done));
  }

  /** The sequential session's case, without the arrays of the general one. */
  private anchorAfterOne(recordedStart: number): Anchor | Promise<Anchor> {
    const s = this.pending[0]!;
    if (s.recordedEnd > recordedStart) return this.frontier;
    this.pending = [];
    return s.endedMs !== undefined ? this.advance([s]) : s.done.then(() => this.advance([s]));
  }

  private advance(due: Step[]): Anchor {
    for (const s of due) {
      if (s.recordedEnd >= this.frontier.recordedEnd) this.frontier = { recordedEnd: s.recordedEnd, atMs: s.endedMs! };
    }
    return this.frontier;
  }
}
