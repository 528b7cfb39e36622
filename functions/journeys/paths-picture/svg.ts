import type { JourneyDefinition } from '../../../shared/domain/journey/definition.js';
import type { StateOutcome } from '../../../shared/domain/journey/drop-off.js';
import type { JourneyReport } from '../../../shared/domain/journey/report.js';
import { escapeHtml } from '../../../shared/domain/actions/template.js';
import { ARROW_LENGTH, ARROW_WIDTH, layoutPaths, type Box, type LaidEdge, type LayoutEdgeInput } from './layout.js';

export interface PathsPicture {
  definition: JourneyDefinition;
  goal: string;
  report: JourneyReport;
  outcomes: readonly StateOutcome[];
  /** 'show' draws the transitions nobody took in the period too (dashed). */
  untravelled: 'hide' | 'show';
}

const TRAVELLED = '#3d5a80';
const UNTRAVELLED = '#9aa5b1';
const GOAL = '#2e7d32';
const DROP = '#b71c1c';
const MAX_NAME_CHARS = 24;
/** Legend lines fit the narrowest picture (MIN_WIDTH) at 12 px. */
const LEGEND_LINE_CHARS = 88;

const count = (n: number) => n.toLocaleString('en-US');
const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);
const px = (n: number) => n.toFixed(1);
/** Words into lines of at most `chars` characters. */
const wrap = (text: string, chars: number): string[] =>
  text.split(' ').reduce<string[]>((lines, word) => {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= chars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);
const shorten = (name: string) => (name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name);

/**
 * The edges to draw: each from → to of the definition (a `*` transition only where it was taken) with
 * the moves the report counted, and moves the definition does not have (by hand) where they happened.
 * Untravelled edges only when asked for.
 */
export const edgesToDraw = (def: JourneyDefinition, report: JourneyReport, untravelled: 'hide' | 'show'): LayoutEdgeInput[] => {
  const traffic = new Map(report.transitions.map((t) => [`${t.from}>${t.to}`, t.count]));
  const edges = new Map<string, LayoutEdgeInput>();
  const add = (from: string, to: string) => {
    const moved = traffic.get(`${from}>${to}`) ?? 0;
    edges.set(`${from}>${to}`, { from, to, count: moved, label: count(moved) });
  };
  for (const t of def.transitions) {
    const froms = t.from === '*' ? def.states.map((s) => s.id).filter((id) => id !== t.to && traffic.has(`${id}>${t.to}`)) : t.from;
    for (const from of froms) add(from, t.to);
  }
  for (const t of report.transitions) add(t.from, t.to);
  return [...edges.values()].filter((e) => e.from !== e.to && (e.count > 0 || untravelled === 'show'));
};

/** The picture's geometry: every move of the journey shapes it, the ones to draw are routed; and how many are hidden. */
export const layoutOfPicture = ({ definition: def, report, untravelled }: Pick<PathsPicture, 'definition' | 'report' | 'untravelled'>) => {
  const every = edgesToDraw(def, report, 'show');
  const drawn = untravelled === 'show' ? every : every.filter((e) => e.count > 0);
  return {
    layout: layoutPaths(
      def.states.map((s) => s.id),
      drawn,
      every,
    ),
    hidden: every.length - drawn.length,
  };
};

const stateBox = (box: Box, name: string, figures: { now: number; entered: number }, outcome: StateOutcome | undefined, goal: boolean, id: string): string => {
  const cx = box.x + box.width / 2;
  const nobody = figures.entered === 0 && figures.now === 0;
  const standing = goal
    ? `<text x="${px(cx)}" y="${px(box.y + 56)}" font-size="12" text-anchor="middle" fill="${GOAL}" font-weight="bold">★ goal · reached by ${count(outcome?.entered ?? 0)}</text>`
    : `<text x="${px(cx)}" y="${px(box.y + 56)}" font-size="12" text-anchor="middle" fill="${outcome?.droppedOff ? DROP : '#555'}">drop-off ${percent(outcome?.rate ?? null)}${outcome?.droppedOff ? ` (${count(outcome.droppedOff)})` : ''}</text>`;
  return (
    `<g class="state${goal ? ' goal' : ''}" data-state="${escapeHtml(id)}" data-now="${figures.now}" data-entered="${figures.entered}" data-drop-off="${outcome?.rate === null || outcome === undefined ? '' : outcome.rate.toFixed(4)}"${nobody ? ' opacity="0.55"' : ''}>` +
    `<title>${escapeHtml(name)}</title>` +
    `<rect class="state-box" x="${px(box.x)}" y="${px(box.y)}" width="${box.width}" height="${box.height}" rx="10" fill="${goal ? '#e8f5e9' : '#f7f9fc'}" stroke="${goal ? GOAL : TRAVELLED}" stroke-width="${goal ? 3 : 1.5}"/>` +
    `<text x="${px(cx)}" y="${px(box.y + 22)}" font-size="14" font-weight="bold" text-anchor="middle" fill="#1b263b">${escapeHtml(shorten(name))}</text>` +
    `<text x="${px(cx)}" y="${px(box.y + 40)}" font-size="12" text-anchor="middle" fill="#333">now ${count(figures.now)} · entered ${count(figures.entered)}</text>` +
    standing +
    `</g>`
  );
};

const edgeLine = (e: LaidEdge, names: Map<string, string>, entered: Map<string, number>): string => {
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${px(p.y)}`).join(' ');
  const from = names.get(e.from) ?? e.from;
  const base = entered.get(e.from) ?? 0;
  const share = e.count > 0 && base > 0 ? ` (${percent(e.count / base)} of those who entered ${from})` : '';
  const travelled = e.count > 0;
  return (
    `<g class="edge" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" data-count="${e.count}">` +
    `<title>${escapeHtml(from)} → ${escapeHtml(names.get(e.to) ?? e.to)}: ${count(e.count)} moved${escapeHtml(share)}</title>` +
    `<path class="edge-line" d="${d}" fill="none" stroke="${travelled ? TRAVELLED : UNTRAVELLED}" stroke-opacity="0.8" stroke-width="${px(e.strokeWidth)}" stroke-linejoin="round"${travelled ? '' : ' stroke-dasharray="5 4"'} marker-end="url(#${travelled ? 'arrow' : 'arrow-untravelled'})"/></g>`
  );
};

const edgeLabel = (e: LaidEdge): string => {
  const b = e.labelBox;
  return (
    `<g class="edge-label" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}">` +
    `<rect x="${px(b.x)}" y="${px(b.y)}" width="${px(b.width)}" height="${px(b.height)}" rx="9" fill="#fff" stroke="${e.count > 0 ? TRAVELLED : UNTRAVELLED}" stroke-width="1"/>` +
    `<text x="${px(b.x + b.width / 2)}" y="${px(b.y + 13)}" font-size="12" text-anchor="middle" fill="#1b263b">${escapeHtml(e.label)}</text></g>`
  );
};

const marker = (id: string, fill: string) =>
  `<marker id="${id}" markerUnits="userSpaceOnUse" markerWidth="${ARROW_LENGTH}" markerHeight="${ARROW_WIDTH}" viewBox="0 0 ${ARROW_LENGTH} ${ARROW_WIDTH}" refX="0" refY="${ARROW_WIDTH / 2}" orient="auto"><path d="M0,0 L${ARROW_LENGTH},${ARROW_WIDTH / 2} L0,${ARROW_WIDTH} z" fill="${fill}"/></marker>`;

/**
 * The journey as a manager reads it: states top to bottom under their labels (now, entered, drop-off as
 * drop-off.ts defines it; the goal marked and counting who reached it), one line per move with its
 * count, wider the more customers took it (log scale), arrowheads of one size. Fits MAX_WIDTH.
 */
export const renderPathsSvg = ({ definition: def, goal, report, outcomes, untravelled }: PathsPicture): string => {
  const { layout, hidden } = layoutOfPicture({ definition: def, report, untravelled });
  const names = new Map(def.states.map((s) => [s.id, s.name]));
  const figures = new Map(report.states.map((s) => [s.state, s]));
  const entered = new Map(report.states.map((s) => [s.state, s.entered]));
  const outcomeOf = new Map(outcomes.map((o) => [o.state, o]));
  const goalName = names.get(goal) ?? goal;
  const window = def.dropOffAfter ? `${def.dropOffAfter.amount} ${def.dropOffAfter.unit}` : '90 days';
  const legend = wrap(
    `Line width: customers who made the move (log scale). Drop-off: of those who entered a state, the share who stopped there short of the goal (at a dead end, or still short of it ${window} after they started); customers still on their way are not counted.${hidden > 0 ? ` ${hidden} moves nobody made are hidden (?untravelled=show).` : ''}`,
    LEGEND_LINE_CHARS,
  );
  const width = layout.width;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.floor(width * layout.scale)}" height="${Math.ceil(layout.height * layout.scale)}" viewBox="0 0 ${width} ${layout.height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" role="img" aria-labelledby="paths-title">` +
    `<title id="paths-title">${escapeHtml(def.name)}: paths to ${escapeHtml(goalName)}</title>` +
    `<defs>${marker('arrow', TRAVELLED)}${marker('arrow-untravelled', UNTRAVELLED)}</defs>` +
    `<rect width="${width}" height="${layout.height}" fill="#fff"/>` +
    `<text x="20" y="${layout.titleY}" font-size="17" font-weight="bold" fill="#1b263b">${escapeHtml(def.name)} — paths to ${escapeHtml(goalName)}</text>` +
    layout.edges.map((e) => edgeLine(e, names, entered)).join('') +
    def.states.map((s) => stateBox(layout.boxes.get(s.id)!, s.name, { now: figures.get(s.id)?.now ?? 0, entered: figures.get(s.id)?.entered ?? 0 }, outcomeOf.get(s.id), s.id === goal, s.id)).join('') +
    layout.edges.map(edgeLabel).join('') +
    legend.map((line, i) => `<text class="legend" x="20" y="${layout.legendY + i * 16}" font-size="12" fill="#444">${escapeHtml(line)}</text>`).join('') +
    `</svg>`
  );
};
