import type { AppDeps } from '../../shared/adapters/deps.js';
import { goalOf, type JourneyDefinition } from '../../shared/domain/journey/definition.js';
import { dropOffRules, stateOutcomes } from '../../shared/domain/journey/drop-off.js';
import { buildPaths, buildReport, sumDays } from '../../shared/domain/journey/report.js';
import { reportView } from '../../shared/domain/journey/report-view.js';
import { readReportCounters, readRouteCounts, sumRoutes } from '../../shared/db/journeys-repo.js';
import { implement, json } from '../../shared/http/operation.js';
import { journeyReader, requireJourney } from './definitions.js';
import { renderPathsSvg } from './paths-picture/svg.js';
import { journeysRoutes } from './routes.js';
import { Invalid } from '../../shared/domain/errors.js';

type Range = { from?: string | undefined; to?: string | undefined };

/** The goal asked for, or the journey's; a state the journey does not have is a 400 at `goal`. */
const goalFor = (def: JourneyDefinition, asked: string | undefined): string => {
  const goal = asked ?? goalOf(def);
  if (!def.states.some((s) => s.id === goal)) throw new Invalid('Unknown goal', [{ path: 'goal', message: `No state ${goal} in this journey` }]);
  return goal;
};

/**
 * Everything the report, Pathfinder and the picture show for a period, from the counters alone: the
 * day items and the occupancy item (per state and transition), and the path counters of the instances
 * started in the period (routes, and drop-off per state as drop-off.ts defines it).
 */
const loadFigures = async (deps: AppDeps, journeyId: string, range: Range, askedGoal?: string) => {
  const stored = await requireJourney(deps, journeyId);
  const def = stored.definition;
  const goal = goalFor(def, askedGoal);
  const [counters, routes] = await Promise.all([readReportCounters(deps, journeyId, range), readRouteCounts(deps, journeyId, range)]);
  const stateIds = def.states.map((s) => s.id);
  return {
    stored,
    goal,
    routes,
    report: buildReport(stateIds, sumDays(counters.days), counters.now),
    outcomes: stateOutcomes(routes, stateIds, dropOffRules(def, deps.clock(), goal)),
  };
};

/**
 * The journey report: per state now / entered / exited / average and median time in state and
 * drop-off, per transition count and conversion, states named by their labels. Reads one item per day
 * of the period, the occupancy item and the period's path counters: its cost does not grow with the
 * number of records.
 */
export const journeyReportOperation = implement(journeysRoutes.journeyReport, async (req, deps) => {
  await journeyReader(req, deps);
  const { stored, report, outcomes } = await loadFigures(deps, req.params.id, req.query);
  return json(200, reportView(stored.id, stored.definition, report, outcomes, req.query));
});

/** Pathfinder: routes of the instances started in the period (the path counters), their goal conversion and the drop-off per state. */
export const journeyPathsOperation = implement(journeysRoutes.journeyPaths, async (req, deps) => {
  await journeyReader(req, deps);
  const { stored, goal, routes, outcomes } = await loadFigures(deps, req.params.id, req.query, req.query.goal);
  return json(200, { journeyId: stored.id, ...buildPaths(sumRoutes(routes), goal, req.query.limit), dropOff: outcomes });
});

/** The journey drawn as a graph (paths-picture/): edge width by traffic, drop-off per state, the goal marked. */
export const journeyPathsSvgOperation = implement(journeysRoutes.journeyPathsSvg, async (req, deps) => {
  await journeyReader(req, deps);
  const { stored, goal, report, outcomes } = await loadFigures(deps, req.params.id, req.query, req.query.goal);
  const svg = renderPathsSvg({ definition: stored.definition, goal, report, outcomes, untravelled: req.query.untravelled });
  return json(200, svg, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-store' });
});
