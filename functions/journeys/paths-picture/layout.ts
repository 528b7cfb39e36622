import dagre from '@dagrejs/dagre';

/**
 * The geometry of the paths picture, pure (no SVG, no figures): state boxes top to bottom (dagre),
 * edges routed so that they cross a row of boxes only vertically between them and bend only in the
 * gaps between rows, each ending in an arrowhead of constant size on its target's border, with a
 * label pill laid out by dagre beside no box. Wider than MAX_WIDTH, the picture is shown scaled down.
 */

export interface Point {
  x: number;
  y: number;
}
/** x, y: the top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutEdgeInput {
  from: string;
  to: string;
  count: number;
  /** The text of its label pill. */
  label: string;
}

export interface LaidEdge extends LayoutEdgeInput {
  /** The line, from the source's border to the arrowhead's base. */
  points: Point[];
  strokeWidth: number;
  /** The arrowhead: base corner, tip (on the target's border), base corner. */
  arrow: [Point, Point, Point];
  labelBox: Box;
}

export interface Layout {
  /** The drawing's own size (the SVG viewBox). */
  width: number;
  height: number;
  /** ≤ 1: the picture is shown at width × scale, never wider than MAX_WIDTH. */
  scale: number;
  boxes: Map<string, Box>;
  edges: LaidEdge[];
  /** Where the title goes (above the graph) and the legend (below it). */
  titleY: number;
  legendY: number;
}

export const MAX_WIDTH = 1280;
/** Room for the title and the legend however small the journey. */
export const MIN_WIDTH = 640;
export const STATE_WIDTH = 184;
export const STATE_HEIGHT = 66;
/** Arrowheads are this size whatever the edge's width (drawn with markerUnits="userSpaceOnUse"). */
export const ARROW_LENGTH = 12;
export const ARROW_WIDTH = 10;
export const LABEL_HEIGHT = 18;
const LABEL_MIN_WIDTH = 28;
const LABEL_CHAR_WIDTH = 7;
const MIN_STROKE = 1.5;
const MAX_STROKE = 6;
/** Untravelled edges (shown only on request) are thin and dashed. */
export const UNTRAVELLED_STROKE = 1.25;
const TITLE_SPACE = 44;
const LEGEND_SPACE = 74;
const MARGIN = 20;
/** Lines leave and reach boxes this far from their corners. */
const CORNER_CLEARANCE = 14;

/** Line width by traffic: logarithmic, from MIN_STROKE (one move) to MAX_STROKE (the busiest edge). */
export const strokeWidthFor = (count: number, busiest: number): number => {
  if (count <= 0) return UNTRAVELLED_STROKE;
  if (busiest <= 1) return MIN_STROKE;
  return MIN_STROKE + ((MAX_STROKE - MIN_STROKE) * Math.log1p(count)) / Math.log1p(busiest);
};

/** A label pill wide enough for its text and never smaller than an arrowhead. */
export const labelWidthFor = (text: string): number => Math.max(LABEL_MIN_WIDTH, text.length * LABEL_CHAR_WIDTH + 14);

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Which side of a box faces a point: a line leaves or reaches a box through its top or its bottom. */
const sideFacing = (box: Box, toward: Point): 'top' | 'bottom' => (toward.y > box.y + box.height / 2 ? 'bottom' : 'top');

/** Ports on one side of a box closer than this are pushed apart, so that arrowheads never pile up. */
const PORT_GAP = ARROW_WIDTH + 6;

/**
 * Where each line meets one side of a box: as near as it can to where the line comes from (the x of
 * its nearest bend), at least PORT_GAP apart, and away from the corners.
 */
const spreadPorts = (box: Box, wanted: readonly number[]): number[] => {
  const low = box.x + CORNER_CLEARANCE;
  const high = box.x + box.width - CORNER_CLEARANCE;
  const order = wanted.map((x, i) => ({ x: clamp(x, low, high), i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const xs = order.map((o) => o.x);
  for (let k = 1; k < xs.length; k += 1) xs[k] = Math.max(xs[k]!, xs[k - 1]! + PORT_GAP);
  for (let k = xs.length - 1; k >= 0; k -= 1) xs[k] = Math.min(xs[k]!, (k + 1 < xs.length ? xs[k + 1]! : high + PORT_GAP) - PORT_GAP);
  // More lines than the side holds at PORT_GAP: share it evenly.
  const spaced = xs[0]! < low ? xs.map((_, k) => low + ((k + 0.5) * (high - low)) / xs.length) : xs;
  const result: number[] = [];
  order.forEach((o, k) => (result[o.i] = spaced[k]!));
  return result;
};

/**
 * The route of one edge between its two ports: out of the source, straight down (or up) through each
 * row it passes (at the x dagre reserved for it), bends only between rows, and a straight final
 * approach to the target, ending ARROW_LENGTH short of the border, where the arrowhead's base is.
 */
const route = (start: Point, tip: Point, via: readonly Point[], rowHalfHeight: (y: number) => number): { points: Point[]; arrow: [Point, Point, Point] } => {
  const down = (from: Point, to: Point) => (to.y >= from.y ? 1 : -1);
  const points: Point[] = [start, { x: start.x, y: start.y + down(start, via[0] ?? tip) * 6 }];
  let previous = start;
  for (const p of via) {
    const half = rowHalfHeight(p.y);
    const sign = down(previous, p);
    if (half > 0) points.push({ x: p.x, y: p.y - sign * (half + 4) }, { x: p.x, y: p.y + sign * (half + 4) });
    else points.push(p);
    previous = p;
  }
  const sign = down(previous, tip);
  const base = { x: tip.x, y: tip.y - sign * ARROW_LENGTH };
  points.push({ x: tip.x, y: base.y - sign * 8 }, base);
  const arrow: [Point, Point, Point] = [
    { x: base.x - ARROW_WIDTH / 2, y: base.y },
    tip,
    { x: base.x + ARROW_WIDTH / 2, y: base.y },
  ];
  return { points, arrow };
};

/**
 * Lays out the states (in order: the first is placed first) and routes `drawn`, the edges to draw.
 * `structure` (all the journey's moves, drawn or not) shapes the layout, so that the boxes stay in
 * place whether untravelled moves are shown or not, and a journey nobody has entered yet still reads
 * top to bottom. Self-loops are not drawn.
 */
export const layoutPaths = (states: readonly string[], drawn: readonly LayoutEdgeInput[], structure: readonly LayoutEdgeInput[] = drawn): Layout => {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 44, edgesep: 24, ranksep: 60, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of states) g.setNode(id, { width: STATE_WIDTH, height: STATE_HEIGHT });
  const drawable = (e: LayoutEdgeInput) => e.from !== e.to && g.hasNode(e.from) && g.hasNode(e.to);
  for (const e of [...structure, ...drawn].filter(drawable)) g.setEdge(e.from, e.to, { width: labelWidthFor(e.label), height: LABEL_HEIGHT, labelpos: 'c' });
  const edges = drawn.filter(drawable);
  dagre.layout(g);

  const boxes = new Map<string, Box>();
  for (const id of states) {
    const n = g.node(id);
    boxes.set(id, { x: n.x - STATE_WIDTH / 2, y: n.y - STATE_HEIGHT / 2 + TITLE_SPACE, width: STATE_WIDTH, height: STATE_HEIGHT });
  }
  // Rows of boxes: an edge point at a row's height passes through it vertically.
  const rows = new Set([...boxes.values()].map((b) => b.y + b.height / 2));
  const rowHalfHeight = (y: number) => ([...rows].some((r) => Math.abs(r - y) < 0.5) ? STATE_HEIGHT / 2 : 0);
  const busiest = Math.max(0, ...edges.map((e) => e.count));
  const planned = edges.map((e) => {
    const geometry = g.edge(e.from, e.to);
    const via = geometry.points.slice(1, -1).map((p: Point) => ({ x: p.x, y: p.y + TITLE_SPACE }));
    const source = boxes.get(e.from)!;
    const target = boxes.get(e.to)!;
    const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
    const first: Point = via[0] ?? centre(target);
    const last: Point = via.at(-1) ?? centre(source);
    return { e, geometry, via, ends: [{ box: e.from, side: sideFacing(source, first), wanted: first.x }, { box: e.to, side: sideFacing(target, last), wanted: last.x }] };
  });
  // Spread the ports of each side of each box: start and end ports of every line that meets it there.
  const sides = new Map<string, Array<{ wanted: number; set: (x: number) => void }>>();
  const portX = planned.map(() => [0, 0]);
  planned.forEach((plan, i) =>
    plan.ends.forEach((end, j) => {
      const key = `${end.box}|${end.side}`;
      sides.set(key, [...(sides.get(key) ?? []), { wanted: end.wanted, set: (x) => (portX[i]![j] = x) }]);
    }),
  );
  for (const [key, ports] of sides) {
    const box = boxes.get(key.slice(0, key.lastIndexOf('|')))!;
    spreadPorts(box, ports.map((p) => p.wanted)).forEach((x, k) => ports[k]!.set(x));
  }
  const laid = planned.map(({ e, geometry, via, ends }, i): LaidEdge => {
    const [start, tip] = ends.map((end, j) => {
      const box = boxes.get(end.box)!;
      return { x: portX[i]![j]!, y: end.side === 'bottom' ? box.y + box.height : box.y };
    }) as [Point, Point];
    const labelWidth = labelWidthFor(e.label);
    const labelBox = { x: (geometry.x as number) - labelWidth / 2, y: (geometry.y as number) + TITLE_SPACE - LABEL_HEIGHT / 2, width: labelWidth, height: LABEL_HEIGHT };
    return { ...e, ...route(start, tip, via, rowHalfHeight), strokeWidth: strokeWidthFor(e.count, busiest), labelBox };
  });
  const graph = g.graph();
  const width = Math.ceil(Math.max(graph.width ?? 0, MIN_WIDTH));
  const graphBottom = Math.ceil((graph.height ?? 0) + TITLE_SPACE);
  return { width, height: graphBottom + LEGEND_SPACE, scale: Math.min(1, MAX_WIDTH / width), boxes, edges: laid, titleY: 28, legendY: graphBottom + 18 };
};
