import { describe, expect, it } from 'vitest';
import { checksTable, stageTable, textTable } from '../../../examples/python-vs-go/tables.js';
import { replayReport } from '../../report/fixtures.js';

describe('textTable', () => {
  it('pads every column to its widest cell and right-aligns the ones asked for', () => {
    const out = textTable([['name', 'n']], [['a', '1'], ['longer', '100']], (i) => i === 1);
    expect(out.split('\n')).toEqual(['name      n', 'a         1', 'longer  100']);
  });
});

describe('stageTable', () => {
  it('puts each replay side by side, per stage and tag, with the run total last', () => {
    const python = replayReport();
    const go = replayReport({
      stages: python.stages.map((s) => ({ ...s, byTag: { authenticated: { ...s.byTag.authenticated!, successRate: 1 }, anonymous: s.byTag.anonymous! } })),
      byTag: { ...python.byTag, authenticated: { ...python.byTag.authenticated!, successRate: 1 } },
    });
    const lines = stageTable([
      { label: 'Python', report: python },
      { label: 'Go', report: go },
    ]).split('\n');
    expect(lines[0]).toMatch(/^\s+Python\s+Go$/);
    expect(lines[1]!.split(/\s+/)).toEqual(['stage', 'profile', 'authenticated', 'anonymous', 'authenticated', 'anonymous']);
    // Stage 3 of the fixture: 300 authenticated at 42% on one side, all of them on the other.
    expect(lines[4]!.split(/\s{2,}/)).toEqual(['2', '50/1s*500', '42% (126/300)', '100% (200/200)', '100% (300/300)', '100% (200/200)']);
    expect(lines[5]!.split(/\s{2,}/)).toEqual(['all', '51.4% (188/366)', '100% (244/244)', '100% (366/366)', '100% (244/244)']);
    expect(lines).toHaveLength(6);
  });

  it('shows a dash where a stage had no session with that tag', () => {
    const report = replayReport();
    report.stages[0]!.byTag = { anonymous: report.stages[0]!.byTag.anonymous! };
    const line = stageTable([{ label: 'Python', report }]).split('\n')[2]!;
    expect(line.split(/\s{2,}/)).toEqual(['0', '1/1s*10', '–', '100% (4/4)']);
  });
});

describe('checksTable', () => {
  it('lists success, latency, unreplaced values, the FIFO verdict and the top failure per replay', () => {
    const lines = checksTable([{ label: 'Python', report: replayReport() }]).split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['replay', 'success', 'p50 / p99', 'unreplaced', 'fifo', 'top failure']);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([
      'Python',
      '70.8%',
      '48ms / 216ms',
      '0',
      'FAILED: 601/610 reached, 37 inversions',
      'ws closed 1011 (auth unavailable) × 150',
    ]);
  });
});
