import type { JourneyFigures, StepReport } from './story.js';
import { inWords } from './step.js';

const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)} %`);
const duration = (ms: number | null): string => {
  if (ms === null) return '–';
  const h = ms / 3_600_000;
  if (h >= 48) return `${(h / 24).toFixed(1)} d`;
  if (h >= 1) return `${h.toFixed(1)} h`;
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
};

/** One step as a person reads it: what happened, the emails, the tasks, the journey state. */
export const formatStep = (r: StepReport, options: { title?: boolean } = {}): string => {
  const lines = options.title === false ? [] : [`${r.n}. ${r.title}`];
  for (const h of r.happened) lines.push(`   - ${h}`);
  for (const e of r.emails) lines.push(`   ✉ "${e.subject}" → ${e.to}`);
  for (const t of r.tasks) lines.push(`   ☐ ${inWords(t.assignee)}: "${t.subject}"${t.dueDate ? ` (due ${t.dueDate})` : ''}`);
  if (r.journeyState) lines.push(`   ⇒ journey state: ${r.journeyState}`);
  return lines.join('\n');
};

const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `   ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd()).join('\n');
};

/** The journey report (per state and per transition) and the most frequent paths. */
export const formatJourney = ({ report, paths }: JourneyFigures): string => {
  const states = table([
    ['state', 'now', 'entered', 'exited', 'average stay', 'drop-off'],
    ...report.states.map((s) => [s.name, String(s.now), String(s.entered), String(s.exited), duration(s.averageMs), pct(s.dropOff)]),
  ]);
  const moves = table([['from', 'to', 'count', 'conversion'], ...report.transitions.map((t) => [t.fromName, t.toName, String(t.count), pct(t.conversionRate)])]);
  const names = new Map(report.states.map((s) => [s.state, s.name]));
  const name = (state: string) => names.get(state) ?? state;
  const routes = paths.paths.map((p, i) => `   ${i + 1}. ${p.states.map(name).join(' → ')}: ${p.count} (reached ${name(paths.goal)}: ${p.reachedGoal}, ${pct(p.goalConversion)})`);
  return [`Journey report (${report.started} started in the period)`, states, '', moves, '', `Most frequent paths (goal: ${name(paths.goal)})`, ...routes].join('\n');
};
