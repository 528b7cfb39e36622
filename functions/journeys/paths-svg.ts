import dagre from '@dagrejs/dagre';
import type { JourneyDefinition } from '../../shared/domain/journey/definition.js';
import type { JourneyReport, PathsReport } from '../../shared/domain/journey/report.js';
import { escapeHtml } from '../../shared/domain/actions/index.js';

const NODE_W = 170;
const NODE_H = 58;
const MAX_STROKE = 14;

const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`);

/**
 * Draws a journey as an SVG graph laid out by dagre (left to right): one box per state with the
 * records in it now and its drop-off, one edge per transition of the definition, its thickness by
 * the traffic the report counted (dashed when none), the goal outlined.
 */
export const renderPathsSvg = (def: JourneyDefinition, report: JourneyReport, paths: PathsReport): string => {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of def.states) g.setNode(s.id, { width: NODE_W, height: NODE_H });
  const traffic = new Map(report.transitions.map((t) => [`${t.from}>${t.to}`, t.count]));
  const edges = new Map<string, { from: string; to: string; count: number }>();
  for (const t of def.transitions) {
    const froms = t.from === '*' ? def.states.map((s) => s.id).filter((id) => id !== t.to) : t.from;
    for (const from of froms) {
      const key = `${from}>${t.to}`;
      const count = traffic.get(key) ?? 0;
      // A `*` transition is drawn only where it carried traffic (otherwise it would hide the graph).
      if (t.from === '*' && count === 0) continue;
      edges.set(key, { from, to: t.to, count });
    }
  }
  for (const t of report.transitions) if (!edges.has(`${t.from}>${t.to}`) && g.hasNode(t.from) && g.hasNode(t.to)) edges.set(`${t.from}>${t.to}`, { from: t.from, to: t.to, count: t.count });
  for (const e of edges.values()) if (e.from !== e.to) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const max = Math.max(1, ...[...edges.values()].map((e) => e.count));
  const figures = new Map(report.states.map((s) => [s.state, s]));
  const drops = new Map(paths.dropOff.map((d) => [d.state, d]));
  const graph = g.graph();
  const width = Math.ceil(graph.width ?? 600);
  const height = Math.ceil(graph.height ?? 300) + 30;
  const parts: string[] = [];
  for (const e of edges.values()) {
    if (e.from === e.to) continue;
    const points: Array<{ x: number; y: number }> = g.edge(e.from, e.to)?.points ?? [];
    if (points.length === 0) continue;
    const d = points.map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const stroke = e.count === 0 ? 1 : 1.5 + (MAX_STROKE - 1.5) * (e.count / max);
    const mid = points[Math.floor(points.length / 2)]!;
    parts.push(
      `<g class="edge" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" data-count="${e.count}"><path d="${d}" fill="none" stroke="#4a6fa5" stroke-opacity="0.75" stroke-width="${stroke.toFixed(1)}"${e.count === 0 ? ' stroke-dasharray="4 4"' : ''} marker-end="url(#arrow)"/>` +
        `<text x="${mid.x.toFixed(1)}" y="${(mid.y - 6).toFixed(1)}" font-size="11" text-anchor="middle" fill="#333">${e.count}</text></g>`,
    );
  }
  for (const s of def.states) {
    const n = g.node(s.id);
    const f = figures.get(s.id);
    const drop = drops.get(s.id);
    const goal = s.id === paths.goal;
    const x = n.x - NODE_W / 2;
    const y = n.y - NODE_H / 2;
    parts.push(
      `<g class="state" data-state="${escapeHtml(s.id)}" data-now="${f?.now ?? 0}" data-drop-off="${drop ? drop.rate.toFixed(4) : ''}">` +
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${NODE_W}" height="${NODE_H}" rx="8" fill="${goal ? '#e6f4ea' : '#f5f7fb'}" stroke="${goal ? '#2e7d32' : '#4a6fa5'}" stroke-width="${goal ? 3 : 1.5}"/>` +
        `<text x="${n.x.toFixed(1)}" y="${(y + 20).toFixed(1)}" font-size="13" font-weight="bold" text-anchor="middle">${escapeHtml(s.name)}</text>` +
        `<text x="${n.x.toFixed(1)}" y="${(y + 38).toFixed(1)}" font-size="11" text-anchor="middle">now ${f?.now ?? 0} · entered ${f?.entered ?? 0}</text>` +
        `<text x="${n.x.toFixed(1)}" y="${(y + 52).toFixed(1)}" font-size="11" text-anchor="middle" fill="#b71c1c">drop-off ${drop ? pct(drop.rate) : '–'}</text></g>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">` +
    `<title>${escapeHtml(def.name)}: paths to ${escapeHtml(paths.goal)}</title>` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a6fa5"/></marker></defs>` +
    parts.join('') +
    `<text x="10" y="${height - 8}" font-size="11" fill="#555">Edge thickness: transitions counted; drop-off: share of routes that ended in the state short of the goal.</text></svg>`
  );
};
