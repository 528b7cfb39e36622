import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPathsSvg, type PathsPicture } from '../../../functions/journeys/paths-picture/svg.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { hasChromium, launchChromium, screenshotter } from '../../support/browser.js';
import { geometryFaults, type PictureGeometry } from '../../support/paths-geometry.js';
import { pictureOf, twelveStateJourney } from '../../support/paths-picture.js';

// The paths picture as Chromium draws it, for the demo's journey and a journey of 12 states: a
// screenshot each (tests/e2e/console/__screenshots__/paths-*.png), and the geometry rules checked on
// the rendered DOM (getBBox of boxes and labels, the lines as rendered, the arrowheads from their markers).

/** Reads the rendered picture's geometry in the page: everything in the SVG's own units, but the shown width. */
const renderedGeometry = (page: Page): Promise<PictureGeometry & { markerUnits: string[] }> =>
  page.evaluate(() => {
    const svg = document.querySelector('svg')!;
    const bbox = (e: SVGGraphicsElement) => {
      const b = e.getBBox();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    };
    const markers = Array.from(document.querySelectorAll('marker'));
    const edges = Array.from(document.querySelectorAll<SVGGElement>('g.edge')).map((g) => {
      const from = g.dataset.from!;
      const to = g.dataset.to!;
      const line = g.querySelector<SVGPathElement>('path.edge-line')!;
      const total = line.getTotalLength();
      // The line as drawn, sampled every 2 units (its corners included).
      const points = Array.from({ length: Math.ceil(total / 2) + 1 }, (_, i) => line.getPointAtLength(Math.min(total, i * 2))).map((p) => ({ x: p.x, y: p.y }));
      // The arrowhead: the marker's triangle (refX 0: its base on the line's end), turned along the line's last direction.
      const marker = document.querySelector<SVGMarkerElement>(line.getAttribute('marker-end')!.slice(4, -1))!;
      const length = marker.markerWidth.baseVal.value;
      const width = marker.markerHeight.baseVal.value;
      const end = line.getPointAtLength(total);
      const before = line.getPointAtLength(Math.max(0, total - 0.5));
      const norm = Math.hypot(end.x - before.x, end.y - before.y) || 1;
      const dir = { x: (end.x - before.x) / norm, y: (end.y - before.y) / norm };
      const corners = [
        { x: end.x - (dir.y * width) / 2, y: end.y + (dir.x * width) / 2 },
        { x: end.x + (dir.y * width) / 2, y: end.y - (dir.x * width) / 2 },
        { x: end.x + dir.x * length, y: end.y + dir.y * length },
      ];
      const xs = corners.map((c) => c.x);
      const ys = corners.map((c) => c.y);
      const arrow = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
      const label = bbox(document.querySelector<SVGRectElement>(`g.edge-label[data-from="${from}"][data-to="${to}"] rect`)!);
      return { from, to, points, strokeWidth: Number(line.getAttribute('stroke-width')), arrow, label };
    });
    const boxes = Array.from(document.querySelectorAll<SVGGElement>('g.state')).map((g) => ({ id: g.dataset.state!, box: bbox(g.querySelector<SVGRectElement>('rect.state-box')!) }));
    return { shownWidth: svg.getBoundingClientRect().width, boxes, edges, markerUnits: markers.map((m) => m.getAttribute('markerUnits') ?? '') };
  });

describe.skipIf(!hasChromium && !process.env.CI)('the journey paths picture in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const snap = screenshotter(() => page, 'paths-');

  beforeAll(async () => {
    ({ browser, page } = await launchChromium());
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const show = async (picture: PathsPicture) => {
    await page.setContent(`<!doctype html><html lang="en"><body style="margin:0">${renderPathsSvg(picture)}</body></html>`);
    return renderedGeometry(page);
  };

  it.each<[string, () => PathsPicture, number]>([
    ['demo-journey', () => pictureOf(TRAVEL_CUSTOMER_JOURNEY, 400, 7), 8],
    ['demo-journey-untravelled-shown', () => pictureOf(TRAVEL_CUSTOMER_JOURNEY, 12, 3, 'show'), 8],
    ['twelve-states', () => pictureOf(twelveStateJourney(), 1500, 11), 12],
    ['twelve-states-untravelled-shown', () => pictureOf(twelveStateJourney(), 60, 5, 'show'), 12],
  ])('draws %s readably: within 1,280 px, arrowheads no larger than labels, nothing over another state', async (name, make, states) => {
    const geometry = await show(make());
    await snap(name);
    expect(geometry.boxes).toHaveLength(states);
    expect(geometry.edges.length).toBeGreaterThan(5);
    expect(geometry.markerUnits.every((u) => u === 'userSpaceOnUse')).toBe(true);
    expect(geometryFaults(geometry)).toEqual([]);
  });

  it('keeps arrowheads one size on thin and thick lines alike', async () => {
    const geometry = await show(pictureOf(twelveStateJourney(), 1500, 11));
    const widths = geometry.edges.map((e) => e.strokeWidth);
    expect(Math.max(...widths)).toBeGreaterThan(Math.min(...widths) * 2);
    const sizes = new Set(geometry.edges.map((e) => `${Math.round(Math.max(e.arrow.width, e.arrow.height))}`));
    expect(sizes).toEqual(new Set(['12']));
  });
});
