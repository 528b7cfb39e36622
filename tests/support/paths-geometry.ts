import type { Box, Layout, Point } from '../../functions/journeys/paths-picture/layout.js';
import { MAX_WIDTH } from '../../functions/journeys/paths-picture/layout.js';

/**
 * The paths picture's geometry rules, checked on the pure layout (unit tests) and on the SVG as
 * Chromium renders it (browser test): the picture is at most MAX_WIDTH wide; no arrowhead is larger
 * than its edge's label; no edge line or arrowhead overlaps a state box other than its own two ends,
 * and no label overlaps any box.
 */
export interface PictureGeometry {
  /** The width the picture is shown at. */
  shownWidth: number;
  boxes: Array<{ id: string; box: Box }>;
  edges: Array<{ from: string; to: string; points: Point[]; strokeWidth: number; arrow: Box; label: Box }>;
}

/** Overlaps by more than a hair (touching is not overlapping). */
const overlaps = (a: Box, b: Box, hair = 0.5) => a.x + a.width > b.x + hair && b.x + b.width > a.x + hair && a.y + a.height > b.y + hair && b.y + b.height > a.y + hair;

/** Does the segment p→q (Liang–Barsky clipping) pass through the box's inside? */
const crosses = (p: Point, q: Point, box: Box): boolean => {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  let t0 = 0;
  let t1 = 1;
  const clips: Array<[number, number]> = [
    [-dx, p.x - box.x],
    [dx, box.x + box.width - p.x],
    [-dy, p.y - box.y],
    [dy, box.y + box.height - p.y],
  ];
  for (const [pk, qk] of clips) {
    if (pk === 0) {
      if (qk <= 0) return false;
      continue;
    }
    const t = qk / pk;
    if (pk < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
};

const shrink = (box: Box, by: number): Box => ({ x: box.x + by, y: box.y + by, width: box.width - 2 * by, height: box.height - 2 * by });
const grow = (box: Box, by: number): Box => shrink(box, -by);

export const boundsOf = (points: readonly Point[]): Box => {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
};

/** Every broken rule, in words (empty: the picture is fine). */
export const geometryFaults = (g: PictureGeometry): string[] => {
  const faults: string[] = [];
  if (g.shownWidth > MAX_WIDTH) faults.push(`shown ${g.shownWidth} px wide (> ${MAX_WIDTH})`);
  for (const e of g.edges) {
    const name = `${e.from} → ${e.to}`;
    if (e.arrow.width > e.label.width + 0.5 || e.arrow.height > e.label.height + 0.5) faults.push(`${name}: arrowhead ${e.arrow.width.toFixed(1)}×${e.arrow.height.toFixed(1)} larger than its label ${e.label.width.toFixed(1)}×${e.label.height.toFixed(1)}`);
    for (const { id, box } of g.boxes) {
      if (id === e.from || id === e.to) continue;
      // The line's own width counts: a thick line grazing a box covers it.
      const reach = grow(box, e.strokeWidth / 2 - 0.5);
      if (e.points.some((p, i) => i > 0 && crosses(e.points[i - 1]!, p, reach))) faults.push(`${name}: line crosses the box of ${id}`);
      if (overlaps(e.arrow, box)) faults.push(`${name}: arrowhead overlaps the box of ${id}`);
    }
    // Labels sit beside every box, their own ends' included.
    for (const { id, box } of g.boxes) if (overlaps(e.label, box)) faults.push(`${name}: label overlaps the box of ${id}`);
  }
  return faults;
};

/** The layout's geometry in the checker's terms. */
export const layoutGeometry = (layout: Layout): PictureGeometry => ({
  shownWidth: Math.floor(layout.width * layout.scale),
  boxes: [...layout.boxes].map(([id, box]) => ({ id, box })),
  edges: layout.edges.map((e) => ({ from: e.from, to: e.to, points: e.points, strokeWidth: e.strokeWidth, arrow: boundsOf(e.arrow), label: e.labelBox })),
});
