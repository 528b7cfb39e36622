import type { AppDeps } from '../../shared/adapters/deps.js';
import { goalOf } from '../../shared/domain/journey/definition.js';
import { buildPaths, buildReport, sumDays } from '../../shared/domain/journey/report.js';
import { readPathCounters, readReportCounters } from '../../shared/db/journeys-repo.js';
import { implement, json } from '../../shared/http/operation.js';
import { journeyReader, requireJourney } from './definitions.js';
import { renderPathsSvg } from './paths-svg.js';
import { journeysRoutes } from './routes.js';
import { Invalid } from '../../shared/domain/errors.js';

type Range = { from?: string | undefined; to?: string | undefined };

/** The report of a period from the counters alone: the day items of the period and the occupancy item. */
const loadReport = async (deps: AppDeps, journeyId: string, range: Range) => {
  const stored = await requireJourney(deps, journeyId);
  const counters = await readReportCounters(deps, journeyId, range);
  const report = buildReport(stored.definition.states.map((s) => s.id), sumDays(counters.days), counters.now);
  return { stored, report };
};

const loadPaths = async (deps: AppDeps, journeyId: string, query: Range & { goal?: string | undefined; limit: number }) => {
  const stored = await requireJourney(deps, journeyId);
  const goal = query.goal ?? goalOf(stored.definition);
  if (!stored.definition.states.some((s) => s.id === goal)) throw new Invalid('Unknown goal', [{ path: 'goal', message: `No state ${goal} in this journey` }]);
  return { stored, paths: buildPaths(await readPathCounters(deps, journeyId, query), goal, query.limit) };
};

/**
 * The journey report: per state now / entered / exited / average and median time in state, per
 * transition count and conversion. Reads one item per day of the period and one occupancy item:
 * its cost does not grow with the number of records.
 */
export const journeyReportOperation = implement(journeysRoutes.journeyReport, async (req, deps) => {
  await journeyReader(req, deps);
  const { stored, report } = await loadReport(deps, req.params.id, req.query);
  const names = new Map(stored.definition.states.map((s) => [s.id, s.name]));
  return json(200, {
    journeyId: stored.id,
    ...(req.query.from ? { from: req.query.from } : {}),
    ...(req.query.to ? { to: req.query.to } : {}),
    started: report.started,
    medianRelativeError: report.medianRelativeError,
    states: report.states.map((s) => ({ ...s, name: names.get(s.state) ?? s.state })),
    transitions: report.transitions,
  });
});

/** Pathfinder: routes of the instances started in the period (the path counters), their goal conversion and the drop-off per state. */
export const journeyPathsOperation = implement(journeysRoutes.journeyPaths, async (req, deps) => {
  await journeyReader(req, deps);
  const { stored, paths } = await loadPaths(deps, req.params.id, req.query);
  return json(200, { journeyId: stored.id, ...paths });
});

/** The journey drawn as a graph (dagre layout): edges by traffic, drop-off per state. */
export const journeyPathsSvgOperation = implement(journeysRoutes.journeyPathsSvg, async (req, deps) => {
  await journeyReader(req, deps);
  const [{ stored, report }, { paths }] = await Promise.all([loadReport(deps, req.params.id, req.query), loadPaths(deps, req.params.id, req.query)]);
  return json(200, renderPathsSvg(stored.definition, report, paths), { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-store' });
});
