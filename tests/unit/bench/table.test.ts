import { describe, expect, it } from 'vitest';
import { median, percentile } from '../../bench/stats.js';
import { figureVerdict, fmtKb, fmtMs, fmtRatio, listed, renderRunTable, renderSummary, renderTable, summarize, verdictCell, type Figure } from '../../bench/table.js';

const fig = (over: Partial<Figure> = {}): Figure => ({ area: 'records', what: 'get, concurrency 1', measured: 'p50 7.0 ms', baseline: 'bare p50 3.0 ms', ratio: 7 / 3, ...over });
const machine = { date: '2026-11-28T12:00:00.000Z', node: 'v20.20.2', cpus: 2, cpuModel: 'AMD EPYC', memoryGb: 23.54 };

describe('bench table', () => {
  it('renders one markdown row per figure with its ratio, goal text and computed verdict', () => {
    const table = renderTable([
      fig({ goal: { id: 'overhead', ratio: 1.2 }, ratio: 1.2 }),
      fig({ what: 'patch, concurrency 16', goal: { id: 'overhead', ratio: 1.21 }, ratio: 1.21 }),
      fig({ area: 'cadences', what: 'cost', ratio: 0.5 }),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| area | figure | measured | baseline (same run) | ratio | goal | verdict |');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('| records | get, concurrency 1 | p50 7.0 ms | bare p50 3.0 ms | 1.20× | ≤ 1.2× the bare DynamoDB calls | met (1.2 ≤ 1.2) |');
    expect(lines[3]).toContain('| 1.21× | ≤ 1.2× the bare DynamoDB calls | **NOT met** (1.21 > 1.2) |');
    expect(lines[4]).toBe('| cadences | cost | p50 7.0 ms | bare p50 3.0 ms | 0.50× | none (information) | — |');
  });

  it('keeps every row one table row: pipes are escaped and line breaks flattened', () => {
    const table = renderTable([fig({ measured: 'a | b\n c', ratio: undefined })]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('a \\| b c');
    expect(table).toContain('| — |');
  });

  it('the verdict cell shows the comparison, precisely enough to explain a ratio that prints as its limit', () => {
    expect(verdictCell(fig({ goal: { id: 'scale', ratio: 7 / 5.83 } }))).toBe('**NOT met** (1.201 > 1.2)');
    expect(verdictCell(fig({ goal: { id: 'p99', value: 1000 } }))).toBe('**NOT met** (1,000 ≥ 1,000)');
    expect(verdictCell(fig({ goal: { id: 'p99', value: 554.04 } }))).toBe('met (554.04 < 1,000)');
    expect(verdictCell(fig({ goal: { id: 'bundleSize', value: 1_245_593 } }))).toBe('**NOT met** (1,245,593 > 1,000,000)');
    expect(verdictCell(fig({ goal: { id: 'load', ratio: Number.NaN } }))).toBe('**NOT met** (not measured)');
    expect(verdictCell(fig())).toBe('—');
  });

  it('the verdict comes from the numbers, not from the text', () => {
    expect(figureVerdict(fig({ measured: 'met', goal: { id: 'p99', value: 1200 } }))).toBe('NOT met');
    expect(figureVerdict(fig({ goal: { id: 'p99', value: 554 } }))).toBe('met');
    expect(figureVerdict(fig())).toBeUndefined();
  });

  it('summarizes per goal how many figures met it, naming the others', () => {
    const figures = [
      fig({ goal: { id: 'overhead', ratio: 1.1 } }),
      fig({ what: 'create', goal: { id: 'overhead', ratio: 2 } }),
      fig({ area: 'bundles', what: 'x: size', goal: { id: 'bundleSize', value: 10 } }),
      fig({ area: 'cadences', what: 'cost' }),
    ];
    expect(summarize(figures)).toEqual([
      { goal: 'overhead', met: 1, notMet: ['records: create'] },
      { goal: 'bundleSize', met: 1, notMet: [] },
    ]);
    expect(renderSummary(figures)).toBe('- ≤ 1.2× the bare DynamoDB calls: 1 of 2 met; NOT met: records: create\n- ≤ 1 MB (1,000,000 bytes): 1 of 1 met');
  });

  it('lists at most a few names, then how many more', () => {
    expect(listed(['a', 'b'])).toBe('a, b');
    expect(listed(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3)).toBe('a, b, c and 4 more');
  });

  it('formats milliseconds, ratios and kilobytes', () => {
    expect(fmtMs(7.04)).toBe('7.0 ms');
    expect(fmtMs(142.4)).toBe('142 ms');
    expect(fmtMs(Number.NaN)).toBe('n/a');
    expect(fmtRatio(1.284)).toBe('1.28×');
    expect(fmtRatio(undefined)).toBe('—');
    expect(fmtRatio(Number.NaN)).toBe('n/a');
    expect(fmtKb(1_245_593)).toBe('1,245.6 kB');
    expect(fmtKb(1_900)).toBe('1.9 kB');
  });

  it('prints the run settings and the machine above the table and the summary below it', () => {
    const out = renderRunTable([fig({ goal: { id: 'overhead', ratio: 1 } })], { samples: 60, loadRuns: 5 }, machine);
    expect(out).toContain('2026-11-28T12:00:00.000Z · node v20.20.2 · 2 × AMD EPYC · 23.5 GB RAM · BENCH_SAMPLES=60 · BENCH_LOAD_RUNS=5');
    expect(out.indexOf('| area |')).toBeLessThan(out.indexOf('- ≤ 1.2×'));
    expect(renderRunTable([], { samples: 0, loadRuns: 3 }, machine)).toContain('bundles only');
    expect(renderRunTable([], { samples: 0, loadRuns: 0, only: 'cadences' }, machine)).toContain('BENCH_ONLY=cadences · BENCH_LOAD_RUNS=0');
  });

  it('median and percentile of samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
  });
});
