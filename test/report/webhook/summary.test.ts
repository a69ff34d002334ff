import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/report/webhook/summary.js';
import { compareReport, replayReport } from '../fixtures.js';

describe('summarize', () => {
  it('tells a replay: verdict, figures, tags, stages, checks and top failures', () => {
    const s = summarize(replayReport());
    expect(s.title).toBe(`reprise replay ${replayReport().recording}: FAIL`);
    expect(s.lines[0]).toMatch(/^target http:\/\/127\.0\.0\.1:8080 · 610 sessions in 1m 01s/);
    const field = (name: string) => s.fields.find((f) => f.name === name)?.value;
    expect(field('Success rate')).toBe('70.8%');
    expect(field('By tag')).toBe('authenticated: 51.4% of 366 · p95 201.6ms\nanonymous: 100% of 244 · p95 92.4ms');
    expect(field('By stage')).toContain('3. 50/1s*500: 65.2% (authenticated 42%, anonymous 100%)');
    expect(field('Queue fairness ws:$.type=ready')).toBe('FAIL: 37 inversions, tau 0.912, 9 never reached');
    expect(field('Thresholds')).toContain('✗ success_rate>=0.99 (70.8%)');
    expect(field('Top failures')!.split('\n')).toHaveLength(4);
  });

  it('tells a compare: difference counts, both targets, the worst differences first', () => {
    const s = summarize(compareReport());
    const field = (name: string) => s.fields.find((f) => f.name === name)?.value;
    expect(field('Differences')).toBe('3 high · 2 medium · 1 low · 3 noise');
    expect(field('primary · Success rate')).toBe('70.8%');
    expect(field('candidate · Success rate')).toBe('99.67%');
    expect(field('primary · Queue fairness ws:$.type=ready')).toMatch(/^FAIL/);
    expect(field('Top differences')!.split('\n')[0]).toBe('high · POST /api/auth/login body.user.created_at (missing, 366×)');
  });
});
