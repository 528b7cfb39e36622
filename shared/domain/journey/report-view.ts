import type { JourneyDefinition } from './definition.js';
import type { StateOutcome } from './drop-off.js';
import type { JourneyReport } from './report.js';

/** The report as front-ends read it (GET /v1/journeys/{id}/report): states and transitions named by their labels, drop-off per state. */
export const reportView = (journeyId: string, def: JourneyDefinition, report: JourneyReport, outcomes: readonly StateOutcome[], range: { from?: string | undefined; to?: string | undefined } = {}) => {
  const names = new Map(def.states.map((s) => [s.id, s.name]));
  const dropOff = new Map(outcomes.map((o) => [o.state, o.rate]));
  return {
    journeyId,
    ...(range.from ? { from: range.from } : {}),
    ...(range.to ? { to: range.to } : {}),
    started: report.started,
    medianRelativeError: report.medianRelativeError,
    states: report.states.map((s) => ({ ...s, name: names.get(s.state) ?? s.state, dropOff: dropOff.get(s.state) ?? null })),
    transitions: report.transitions.map((t) => ({ ...t, fromName: names.get(t.from) ?? t.from, toName: names.get(t.to) ?? t.to })),
  };
};
