import { SingleBar } from 'cli-progress';
import { palette, paletteFor, type Palette } from './colour.js';
import { grade, percent } from './figures.js';

/**
 * Progress of long work (replay, compare, demo): a bar with live counters on a TTY, a plain
 * line every few seconds otherwise (CI logs), nothing with --quiet. The engine only reports
 * counts, as often as it likes; drawing is throttled here.
 */
export interface ProgressCounts {
  started: number;
  finished: number;
  succeeded: number;
  failed: number;
  /** Starts not run because they were later than --max-lag. */
  missed?: number;
}

export interface Progress {
  update(counts: ProgressCounts): void;
  /** Draws the last state and stops; safe to call twice. */
  done(): void;
}

export interface ProgressOptions {
  /** What is progressing: `replay`, `compare primary`, ... */
  label: string;
  /** Session starts planned in total. */
  total: number;
  quiet?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env?: NodeJS.ProcessEnv;
  /** Plain mode: one line this often. */
  intervalMs?: number;
  now?: () => number;
}

export const NO_PROGRESS: Progress = { update: () => undefined, done: () => undefined };

export function createProgress(options: ProgressOptions): Progress {
  if (options.quiet) return NO_PROGRESS;
  const stream = options.stream ?? process.stderr;
  const meter = new RateMeter(options.now ?? Date.now);
  return stream.isTTY === true ? new BarProgress(options, stream, meter) : new LineProgress(options, stream, meter);
}

const WINDOW_MS = 5_000;

/**
 * Sessions per second over the last few seconds, the current rate rather than the average since
 * the start: starts while sessions are still starting, then ends while the last ones finish.
 */
class RateMeter {
  private readonly samples: { at: number; started: number; finished: number }[] = [];

  constructor(private readonly now: () => number) {}

  record(counts: ProgressCounts): void {
    const at = this.now();
    this.samples.push({ at, started: counts.started, finished: counts.finished });
    while (this.samples.length > 2 && this.samples[1]!.at <= at - WINDOW_MS) this.samples.shift();
  }

  text(total: number): string {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    const starting = !last || last.started < total;
    if (!first || !last || last.at === first.at) return starting ? '0.0 starts/s' : '0.0 ends/s';
    const delta = starting ? last.started - first.started : last.finished - first.finished;
    return `${((delta * 1000) / (last.at - first.at)).toFixed(1)} ${starting ? 'starts' : 'ends'}/s`;
  }
}

const EMPTY: ProgressCounts = { started: 0, finished: 0, succeeded: 0, failed: 0 };

function counters(c: ProgressCounts, total: number, rate: string, p: Palette): string {
  const ended = c.succeeded + c.failed;
  const ok = ended === 0 ? '–' : percent(c.succeeded / ended);
  const okText = ended === 0 ? ok : { good: p.green, warn: p.yellow, bad: p.red }[grade(c.succeeded / ended)](ok);
  const missed = c.missed ? ` · ${p.yellow(`${c.missed} missed`)}` : '';
  return `started ${c.started}/${total} · finished ${c.finished} · ok ${okText}${c.failed > 0 ? ` (${p.red(`${c.failed} failed`)})` : ''}${missed} · ${rate}`;
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  private readonly palette: Palette;
  private counts = EMPTY;
  private stopped = false;

  constructor(
    private readonly options: ProgressOptions,
    stream: NonNullable<ProgressOptions['stream']>,
    private readonly meter: RateMeter,
  ) {
    this.palette = paletteFor(stream, options.env);
    this.bar = new SingleBar({
      stream: stream as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      linewrap: false,
      fps: 10,
      format: (_o, params) => this.line(params.progress),
    });
    this.bar.start(Math.max(1, options.total), 0);
  }

  private line(fraction: number): string {
    const width = 24;
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    const bar = this.palette.green('█'.repeat(filled)) + this.palette.dim('░'.repeat(width - filled));
    return `${this.palette.bold(this.options.label)} ${bar} ${counters(this.counts, this.options.total, this.meter.text(this.options.total), this.palette)}`;
  }

  update(counts: ProgressCounts): void {
    if (this.stopped) return;
    this.counts = counts;
    this.meter.record(counts);
    this.bar.update(counts.finished);
  }

  done(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar.update(this.counts.finished);
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private counts = EMPTY;
  private printed = '';
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly options: ProgressOptions,
    private readonly stream: NonNullable<ProgressOptions['stream']>,
    private readonly meter: RateMeter,
  ) {
    this.timer = setInterval(() => this.print(), options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  private print(): void {
    const text = `${this.options.label}: ${counters(this.counts, this.options.total, this.meter.text(this.options.total), palette(false))}`;
    if (text === this.printed) return; // a stalled run does not fill the log with copies
    this.printed = text;
    this.stream.write(`${text}\n`);
  }

  update(counts: ProgressCounts): void {
    this.counts = counts;
    this.meter.record(counts);
  }

  done(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.print();
  }
}
