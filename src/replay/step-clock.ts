/**
 * Recorded causality between a user's steps (HTTP exchanges, WebSocket handshakes): a step that
 * started after another ended must wait for that one in replay too, and its think time counts
 * from when that one ended in replay. Steps that overlapped in the recording overlap again.
 *
 * The frontier is the latest-ending step known finished; `pending` holds steps still running
 * or not yet passed by a later start. Sequential sessions keep one entry here.
 */
export interface Anchor {
  /** Recorded end (epoch µs) and replayed end (monotonic ms) of the step the next one follows. */
  recordedEnd: number;
  atMs: number;
}

export class StepClock {
  private frontier: Anchor;
  private pending: { recordedEnd: number; done: Promise<number> }[] = [];

  constructor(sessionStartedAt: number, startedMs: number) {
    this.frontier = { recordedEnd: sessionStartedAt, atMs: startedMs };
  }

  add(recordedEnd: number, done: Promise<number>): void {
    this.pending.push({ recordedEnd, done });
  }

  /** Waits for every step that ended (in the recording) before `recordedStart`. */
  async anchorFor(recordedStart: number): Promise<Anchor> {
    const due = this.pending.filter((s) => s.recordedEnd <= recordedStart);
    if (due.length === 0) return this.frontier;
    this.pending = this.pending.filter((s) => s.recordedEnd > recordedStart);
    const ends = await Promise.all(due.map((s) => s.done));
    due.forEach((s, i) => {
      if (s.recordedEnd >= this.frontier.recordedEnd) this.frontier = { recordedEnd: s.recordedEnd, atMs: ends[i]! };
    });
    return this.frontier;
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending.map((s) => s.done));
  }
}
