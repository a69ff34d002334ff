import { Writable } from 'node:stream';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createProgress, NO_PROGRESS } from '../../src/report/progress.js';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  columns = 160;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    this.emit('line');
    done();
  }
}

const ESC = '\x1b[';

describe('createProgress', () => {
  it('draws a bar with live counters on a TTY, in colour', () => {
    const out = new Capture(true);
    let t = 0;
    const progress = createProgress({ label: 'replay', total: 10, stream: out, env: {}, now: () => t });
    progress.update({ started: 4, finished: 2, succeeded: 2, failed: 0 });
    t = 2000;
    progress.update({ started: 8, finished: 6, succeeded: 6, failed: 0 });
    progress.done();
    expect(out.text).toContain('started 8/10 · finished 6');
    expect(out.text).toContain('2.0 starts/s');
  });

  it('shows the rate of ends once every session has started', () => {
    const out = new Capture(true);
    let t = 0;
    const progress = createProgress({ label: 'replay', total: 10, stream: out, env: {}, now: () => t });
    progress.update({ started: 10, finished: 4, succeeded: 4, failed: 0 });
    t = 2000;
    progress.update({ started: 10, finished: 9, succeeded: 8, failed: 1, missed: 1 });
    progress.done();
    expect(out.text).toContain('started 10/10 · finished 9');
    expect(out.text).toContain('2.5 ends/s');
    expect(out.text).toContain(`${ESC}31m1 failed`);
    expect(out.text).toContain('█');
  });

  it('draws no colour with NO_COLOR, though it still redraws in place', () => {
    const out = new Capture(true);
    const progress = createProgress({ label: 'replay', total: 2, stream: out, env: { NO_COLOR: '1' } });
    progress.update({ started: 2, finished: 2, succeeded: 1, failed: 1 });
    progress.done();
    expect(out.text).toContain('ok 50% (1 failed)');
    expect(out.text).not.toMatch(/\x1b\[\d+m/);
  });

  it('prints plain periodic lines when not a TTY, and a last one at the end', async () => {
    const out = new Capture(false);
    const progress = createProgress({ label: 'compare primary', total: 100, stream: out, intervalMs: 10 });
    progress.update({ started: 5, finished: 1, succeeded: 1, failed: 0 });
    await once(out, 'line');
    progress.update({ started: 100, finished: 100, succeeded: 99, failed: 1 });
    progress.done();
    const lines = out.text.trim().split('\n');
    expect(lines[0]).toMatch(/^compare primary: started 5\/100 · finished 1 · ok 100%/);
    expect(lines.at(-1)).toMatch(/^compare primary: started 100\/100 · finished 100 · ok 99% \(1 failed\)/);
    expect(out.text).not.toContain('\x1b');
  });

  it('prints nothing with --quiet', () => {
    const out = new Capture(true);
    const progress = createProgress({ label: 'replay', total: 1, stream: out, quiet: true });
    progress.update({ started: 1, finished: 1, succeeded: 1, failed: 0 });
    progress.done();
    expect(progress).toBe(NO_PROGRESS);
    expect(out.text).toBe('');
  });
});
