import { cpus, totalmem } from 'node:os';
import { comparedNumber, GOALS, verdict, type GoalId, type Measured, type Verdict } from './goals.js';

/**
 * One row of the consolidated table: a figure, the baseline it is compared with (measured in the
 * same run, or modelled from same-run figures, as its text says), their ratio, and the goal it
 * answers to, if any.
 */
export interface Figure {
  /** The group, e.g. `records`, `processes`, `bundles`. */
  area: string;
  what: string;
  /** The figure as printed, e.g. `p50 30.3 ms · p99 45.1 ms · 2 round trips (…)`. */
  measured: string;
  baseline: string;
  /** measured ÷ baseline (see goals.ts `ratio`); omitted where the two do not divide (printed "—"). */
  ratio?: number;
  /** The goal and the numbers it is judged on; without one, the row is information only. */
  goal?: { id: GoalId } & Measured;
}

export const fmtMs = (ms: number): string => (Number.isFinite(ms) ? `${ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)} ms` : 'n/a');
export const fmtRatio = (r: number | undefined): string => (r === undefined ? '—' : Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a');
/** Bytes in decimal kilobytes (the bundle goal's unit is the decimal megabyte). */
export const fmtKb = (bytes: number): string => `${(bytes / 1000).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} kB`;

export const figureVerdict = (figure: Figure): Verdict | undefined => (figure.goal ? verdict(GOALS[figure.goal.id], figure.goal) : undefined);

/**
 * The verdict cell: the verdict and the comparison it rests on, e.g. `met (1.16 ≤ 1.3)` or
 * `**NOT met** (1.201 > 1.2)` (three decimals, so a ratio that prints as the limit still shows why).
 */
export const verdictCell = (figure: Figure): string => {
  if (!figure.goal) return '—';
  const goal = GOALS[figure.goal.id];
  const x = comparedNumber(goal, figure.goal);
  const met = verdict(goal, figure.goal) === 'met';
  if (x === undefined || !Number.isFinite(x)) return '**NOT met** (not measured)';
  const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 3 });
  const op = met ? (goal.bound === 'atMost' ? '≤' : '<') : goal.bound === 'atMost' ? '>' : '≥';
  return `${met ? 'met' : '**NOT met**'} (${num(x)} ${op} ${num(goal.limit)})`;
};

/** A markdown table cell: pipes escaped, no line breaks. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The consolidated markdown table, one row per figure, in the order given. */
export const renderTable = (figures: readonly Figure[]): string => {
  const lines = ['| area | figure | measured | baseline (same run) | ratio | goal | verdict |', '|---|---|---|---|---|---|---|'];
  for (const f of figures) {
    const goal = f.goal ? GOALS[f.goal.id].text : 'none (information)';
    lines.push(`| ${[f.area, f.what, f.measured, f.baseline, fmtRatio(f.ratio), goal, verdictCell(f)].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
};

/** Per goal: how many figures met it and which did not. */
export const summarize = (figures: readonly Figure[]): Array<{ goal: GoalId; met: number; notMet: string[] }> =>
  (Object.keys(GOALS) as GoalId[]).flatMap((goal) => {
    const judged = figures.filter((f) => f.goal?.id === goal);
    if (judged.length === 0) return [];
    return [{ goal, met: judged.filter((f) => figureVerdict(f) === 'met').length, notMet: judged.filter((f) => figureVerdict(f) !== 'met').map((f) => `${f.area}: ${f.what}`) }];
  });

/** Up to `max` names, then how many more. */
export const listed = (names: readonly string[], max = 5): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** The summary lines printed under the table. */
export const renderSummary = (figures: readonly Figure[]): string =>
  summarize(figures)
    .map(({ goal, met, notMet }) => `- ${GOALS[goal].text}: ${met} of ${met + notMet.length} met${notMet.length > 0 ? `; NOT met: ${listed(notMet)}` : ''}`)
    .join('\n');

export interface Machine {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
}

export const thisMachine = (): Machine => ({
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGb: totalmem() / 1024 ** 3,
});

/**
 * What `npm run bench` prints last: the run's settings and machine, the one table, and per goal how
 * many figures met it.
 */
export const renderRunTable = (figures: readonly Figure[], run: { samples: number; loadRuns: number; only?: string | undefined }, machine: Machine = thisMachine()): string =>
  [
    '',
    '## Keiro benchmark table',
    '',
    `${machine.date} · node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · ${machine.memoryGb.toFixed(1)} GB RAM · ` +
      `${run.only ? `BENCH_ONLY=${run.only}` : run.samples > 0 ? `BENCH_SAMPLES=${run.samples}` : 'bundles only'} · BENCH_LOAD_RUNS=${run.loadRuns}`,
    '',
    renderTable(figures),
    '',
    renderSummary(figures),
    '',
  ].join('\n');
