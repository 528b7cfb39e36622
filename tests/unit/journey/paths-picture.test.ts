import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARROW_LENGTH, ARROW_WIDTH, MAX_WIDTH, layoutPaths, strokeWidthFor, UNTRAVELLED_STROKE } from '../../../functions/journeys/paths-picture/layout.js';
import { edgesToDraw, layoutOfPicture, renderPathsSvg } from '../../../functions/journeys/paths-picture/svg.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import { geometryFaults, layoutGeometry } from '../../support/paths-geometry.js';
import { pictureOf, twelveStateJourney } from '../../support/paths-picture.js';

const layoutOf = (picture: ReturnType<typeof pictureOf>) => layoutOfPicture(picture).layout;

describe('the geometry checker', () => {
  const box = (x: number, y: number) => ({ x, y, width: 100, height: 50 });
  const fine = {
    shownWidth: 800,
    boxes: [
      { id: 'a', box: box(0, 0) },
      { id: 'b', box: box(0, 200) },
      { id: 'c', box: box(300, 100) },
    ],
    edges: [{ from: 'a', to: 'b', points: [{ x: 50, y: 50 }, { x: 50, y: 188 }], strokeWidth: 4, arrow: { x: 45, y: 188, width: 10, height: 12 }, label: { x: 30, y: 110, width: 28, height: 18 } }],
  };

  it('finds nothing wrong in a picture without faults', () => {
    expect(geometryFaults(fine)).toEqual([]);
  });

  it('names a line or arrowhead over another box, a label over any box, an arrowhead larger than its label, and a picture too wide', () => {
    const edge = fine.edges[0]!;
    expect(geometryFaults({ ...fine, shownWidth: 1281 })).toEqual(['shown 1281 px wide (> 1280)']);
    expect(geometryFaults({ ...fine, edges: [{ ...edge, points: [{ x: 50, y: 50 }, { x: 350, y: 120 }, { x: 50, y: 188 }] }] })).toEqual(['a → b: line crosses the box of c']);
    // A thick line grazing a box covers it.
    expect(geometryFaults({ ...fine, edges: [{ ...edge, points: [{ x: 50, y: 50 }, { x: 297, y: 50 }, { x: 297, y: 188 }], strokeWidth: 8 }] })).toEqual(['a → b: line crosses the box of c']);
    expect(geometryFaults({ ...fine, edges: [{ ...edge, arrow: { x: 290, y: 140, width: 20, height: 12 } }] })).toEqual(['a → b: arrowhead overlaps the box of c']);
    expect(geometryFaults({ ...fine, edges: [{ ...edge, arrow: { x: 40, y: 140, width: 80, height: 80 } }] })).toEqual(['a → b: arrowhead 80.0×80.0 larger than its label 28.0×18.0']);
    expect(geometryFaults({ ...fine, edges: [{ ...edge, label: { x: 30, y: 40, width: 28, height: 18 } }] })).toEqual(['a → b: label overlaps the box of a']);
  });
});

describe('the paths picture’s layout', () => {
  it.each([
    ['the demo journey', () => pictureOf(TRAVEL_CUSTOMER_JOURNEY, 400, 7, 'hide')],
    ['the demo journey with its untravelled moves', () => pictureOf(TRAVEL_CUSTOMER_JOURNEY, 12, 3, 'show')],
    ['a journey of 12 states', () => pictureOf(twelveStateJourney(), 1500, 11, 'hide')],
    ['a journey of 12 states with every move drawn', () => pictureOf(twelveStateJourney(), 60, 5, 'show')],
  ])('keeps %s within 1,280 px, arrowheads no larger than labels, lines and arrowheads off other boxes', (_, make) => {
    const layout = layoutOf(make());
    expect(geometryFaults(layoutGeometry(layout))).toEqual([]);
    expect(layout.edges.length).toBeGreaterThan(5);
    expect(layout.width * layout.scale).toBeLessThanOrEqual(MAX_WIDTH);
  });

  it('fits the demo and the 12-state journey at full size (no shrinking)', () => {
    expect(layoutOf(pictureOf(TRAVEL_CUSTOMER_JOURNEY, 400, 7, 'show')).scale).toBe(1);
    expect(layoutOf(pictureOf(twelveStateJourney(), 400, 7, 'show')).scale).toBe(1);
  });

  it('keeps the boxes in place whether untravelled moves are shown or not, and lays out a journey nobody entered yet top to bottom', () => {
    const hidden = layoutOf(pictureOf(TRAVEL_CUSTOMER_JOURNEY, 6, 2, 'hide'));
    const shown = layoutOf(pictureOf(TRAVEL_CUSTOMER_JOURNEY, 6, 2, 'show'));
    expect(shown.edges.length).toBeGreaterThan(hidden.edges.length);
    expect(hidden.boxes).toEqual(shown.boxes);
    const empty = layoutOf(pictureOf(TRAVEL_CUSTOMER_JOURNEY, 0, 1, 'hide'));
    expect(empty.edges).toEqual([]);
    expect(empty.scale).toBe(1);
    expect(empty.height).toBeGreaterThan(empty.width);
  });

  it('holds the geometry rules for any journey of up to 12 states and its moves', () => {
    const journeyArb = fc.integer({ min: 2, max: 12 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        moves: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 }))), { minLength: 1, maxLength: 40, selector: ([a, b]) => `${a}>${b}` }),
      }),
    );
    fc.assert(
      fc.property(journeyArb, ({ n, moves }) => {
        const states = Array.from({ length: n }, (_, i) => `s${i}`);
        const every = moves.map(([a, b, count]) => ({ from: `s${a}`, to: `s${b}`, count, label: count.toLocaleString('en-US') }));
        // Untravelled moves shape the layout without being drawn.
        const layout = layoutPaths(
          states,
          every.filter((e) => e.count > 0),
          every,
        );
        expect(geometryFaults(layoutGeometry(layout))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  }, 30_000);

  it('widens lines with traffic on a log scale, within bounds', () => {
    const widths = [1, 2, 10, 100, 1000, 10_000].map((n) => strokeWidthFor(n, 10_000));
    widths.forEach((w, i) => i > 0 && expect(w).toBeGreaterThan(widths[i - 1]!));
    expect(widths[0]).toBe(1.5 + (4.5 * Math.log1p(1)) / Math.log1p(10_000));
    expect(widths.at(-1)).toBe(6);
    expect(strokeWidthFor(0, 10)).toBe(UNTRAVELLED_STROKE);
    expect(strokeWidthFor(5, 1)).toBe(1.5);
  });
});

describe('the paths picture', () => {
  it('draws arrowheads of one size in user space, whatever the line width', () => {
    const svg = renderPathsSvg(pictureOf(TRAVEL_CUSTOMER_JOURNEY, 400, 7));
    const markers = [...svg.matchAll(/<marker [^>]*>/g)].map((m) => m[0]);
    expect(markers).toHaveLength(2);
    for (const m of markers) {
      expect(m).toContain('markerUnits="userSpaceOnUse"');
      expect(m).toContain(`markerWidth="${ARROW_LENGTH}" markerHeight="${ARROW_WIDTH}"`);
    }
    const widths = new Set([...svg.matchAll(/class="edge-line"[^>]* stroke-width="([\d.]+)"/g)].map((m) => m[1]));
    expect(widths.size).toBeGreaterThan(3);
  });

  it('hides untravelled moves unless asked, and says how many it hides', () => {
    const hidden = pictureOf(TRAVEL_CUSTOMER_JOURNEY, 6, 2, 'hide');
    const shown = { ...hidden, untravelled: 'show' as const };
    const travelled = edgesToDraw(hidden.definition, hidden.report, 'hide');
    const all = edgesToDraw(hidden.definition, hidden.report, 'show');
    expect(travelled.every((e) => e.count > 0)).toBe(true);
    expect(all.length).toBeGreaterThan(travelled.length);
    expect(renderPathsSvg(hidden)).not.toContain('stroke-dasharray');
    expect(renderPathsSvg(hidden).replace(/<\/text><text class="legend"[^>]*>/g, ' ')).toContain(`${all.length - travelled.length} moves nobody made are hidden (?untravelled=show)`);
    expect([...renderPathsSvg(shown).matchAll(/stroke-dasharray/g)]).toHaveLength(all.length - travelled.length);
  });

  it('names states by their labels, marks the goal with who reached it, and shows the shared drop-off', () => {
    const picture = pictureOf(TRAVEL_CUSTOMER_JOURNEY, 400, 7);
    const svg = renderPathsSvg(picture);
    expect(svg).toContain('>Trip completed<');
    expect(svg).not.toMatch(/>[^<]*trip-completed[^<]*</);
    expect(svg).toMatch(/<g class="state goal" data-state="promoter"/);
    const promoter = picture.outcomes.find((o) => o.state === 'promoter')!;
    expect(svg).toContain(`★ goal · reached by ${promoter.entered.toLocaleString('en-US')}`);
    for (const o of picture.outcomes) expect(svg).toMatch(new RegExp(`data-state="${o.state}"[^>]*data-drop-off="${o.rate === null ? '' : o.rate.toFixed(4)}"`));
    expect(svg).toContain('<title id="paths-title">Travel customer journey: paths to Promoter</title>');
  });

  it('escapes hostile labels', () => {
    const def = JourneyDefinitionSchema.parse({
      name: '<script>alert(1)</script>',
      modules: ['Leads'],
      initial: 'a',
      states: [
        { id: 'a', name: '"><img src=x onerror=alert(1)>' },
        { id: 'b', name: 'B & <b>' },
      ],
      transitions: [{ id: 't', from: ['a'], to: 'b', trigger: { type: 'manual' } }],
    });
    const svg = renderPathsSvg(pictureOf(def, 20, 1, 'show'));
    expect(svg).not.toMatch(/<script|<img|<b>/);
    expect(svg).toContain('B &amp; &lt;b&gt;');
  });
});
