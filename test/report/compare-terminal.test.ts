import { describe, expect, it } from 'vitest';
import { renderCompareSummary } from '../../src/report/compare-terminal.js';
import { compareReport } from './fixtures.js';

describe('renderCompareSummary', () => {
  const text = renderCompareSummary(compareReport());
  const lines = text.split('\n');

  it('shows the targets side by side, then one stage-by-tag table that tells the ramp story', () => {
    expect(text).toContain('primary http://127.0.0.1:8081');
    expect(text).toContain('candidate http://127.0.0.1:8082');
    const table = lines.slice(lines.findIndex((l) => l.includes('success rate by stage and tag')));
    expect(table[1]).toMatch(/stage +primary +candidate/);
    expect(table[2]).toMatch(/anonymous +authenticated +all +anonymous +authenticated +all/);
    // The primary's authenticated sessions collapse in the last stage; the candidate's hold.
    expect(table[5]).toMatch(/^ +2 +50\/1s\*500 +100% +42% +\S+ +100% +99\.5% +\S+$/);
  });

  it('lists routes by count with each field, its counts, its risk and one compact sample pair', () => {
    const login = lines.findIndex((l) => l.includes('POST /api/auth/login') && l.includes('compared'));
    expect(lines[login]).toMatch(/366 compared, 2 fields differ/);
    expect(lines[login + 2]).toMatch(/body\.user\.created_at +missing +366 +0 +high +"2026-03-01T11:00:01\.123456\+00:00" → \(absent\)/);
    expect(lines[login + 3]).toMatch(/body\.user\.id +type +366 +0 +high +"u_3f2a9b1c0d4e" → 314159/);
    expect(lines[login + 4]).toMatch(/noise: body\.token secondary ×366/);
    const ws = lines.findIndex((l) => l.includes('WS /ws/chat') && l.includes('compared'));
    expect(ws).toBeLessThan(login);
    expect(lines[ws + 2]).toMatch(/ws\.message\[type=reply\]\.text +value +1,830 +4 +medium +\{"type":"reply","text":"echo: <scri… → /);
    expect(text).toMatch(/differences +\d+ high · \d+ medium · \d+ low · \d+ noise fields cancelled/);
  });

  it('states the verdict of --fail-on and of the targets\' checks', () => {
    expect(text).toMatch(/✗ \d+ differences at --fail-on high or above/);
    expect(text).toContain('✗ checks failed on primary');
    const quiet = renderCompareSummary({ ...compareReport(), routes: [], summary: { high: 0, medium: 0, low: 0, noise: 0 }, failOn: undefined, targets: { ...compareReport().targets, primary: { ...compareReport().targets.candidate } } });
    expect(quiet).toContain('nothing was compared');
    expect(quiet).toContain('✓ no differences beyond noise');
  });

  it('colours only when asked', () => {
    expect(text).not.toMatch(/\x1b\[/);
    expect(renderCompareSummary(compareReport(), { color: true })).toMatch(/\x1b\[31mhigh\x1b\[39m/);
  });
});
