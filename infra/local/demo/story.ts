import { DemoClient, StepFailed, type DemoTarget } from './client.js';
import { Step, type Customer, type StepReport, type StoryIds } from './step.js';
import { enterLead, followUpByCadence, qualifyAndConvert } from './steps-customer.js';
import { completeTheTrip, runBlueprintAndDiscount } from './steps-process.js';
import { arrangeWithOperations, changeDatesByKiosk } from './steps-service.js';

export type { ApiCall, DemoTarget } from './client.js';
export { StepFailed };
export type { Customer, StepReport, StoryIds } from './step.js';

/**
 * The travel agency, end to end: the scenario's steps in order, each driven through the HTTP API (and the
 * local-only SES route for the lead's open) and each checked before the next begins.
 */
export const STORY_STEPS: ReadonlyArray<readonly [string, (s: Step) => Promise<void>]> = [
  ['The wizard "New lead" enters a lead', enterLead],
  ['The cadence mails the lead; the lead opens; the survey follows', followUpByCadence],
  ['The lead qualifies; the journey converts it and creates the travel application', qualifyAndConvert],
  ['The blueprint takes the application to Arrangement; the discount is approved', runBlueprintAndDiscount],
  ['The kiosk "Update travel info" changes the dates', changeDatesByKiosk],
  ['The Operations team handles the arrangement request', arrangeWithOperations],
  ['The trip: the blueprint completes, the journey follows up', completeTheTrip],
];

export interface JourneyFigures {
  report: {
    started: number;
    states: Array<{ state: string; name: string; now: number; entered: number; exited: number; averageMs: number | null; dropOff: number | null }>;
    transitions: Array<{ from: string; fromName: string; to: string; toName: string; count: number; conversionRate: number | null }>;
  };
  paths: { goal: string; paths: Array<{ states: string[]; count: number; reachedGoal: number; goalConversion: number }> };
}

export interface StoryResult {
  customer: Customer;
  ids: StoryIds;
  steps: StepReport[];
  journey: JourneyFigures;
}

/**
 * A customer for one run: an email and phone of this run (so a rerun on kept data is a new customer);
 * the names are Mika Honda unless given (the soak gives each of its customers names of their own, so
 * that mail about one application cannot be taken for another's).
 */
export const newCustomer = (tag = Math.random().toString(36).slice(2, 8), names: { firstName: string; lastName: string } = { firstName: 'Mika', lastName: 'Honda' }): Customer => {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
  return {
    ...names,
    email: `mika.honda.${tag}@example.jp`,
    phone: `090-${digits(4)}-${digits(4)}`,
    destination: 'Okinawa',
    changeDetails: 'Her daughter has exams until May 7: the trip moves by a week',
  };
};

/** Finds the demo's definitions by name, as a front-end would (they are seeded by `npm start`). */
const findDefinitions = async (api: DemoClient, ids: StoryIds): Promise<void> => {
  api.enter("0. Find the demo's definitions");
  const byName = async (path: string, name: string) => {
    const list = await api.expect<{ items: Array<{ id: string; name: string }> }>(200, 'u-agent', 'GET', `${path}?limit=200`);
    return list.items.find((d) => d.name === name)?.id ?? api.fail(`no ${path.split('/').at(-1)} named "${name}": is the cloud seeded (npm start without --no-seed)?`);
  };
  ids.wizardId = await byName('/v1/wizards', 'New lead');
  ids.cadenceId = await byName('/v1/cadences', 'Travel inquiry follow-up');
  ids.journeyId = await byName('/v1/journeys', 'Travel customer journey');
  ids.kioskId = await byName('/v1/kiosks', 'Update travel info');
};

/**
 * Runs the story against a local cloud.
 * 1. Note the mail already sent (only this run's mail counts) and find the definitions by name.
 * 2. Run each step; a step throws StepFailed (naming it) when something does not happen in its bounded wait.
 * 3. Read the journey's report and most frequent paths.
 * `onStepStart` hears each step begin (some wait for the cloud's time), `onStep` its report as soon as it is done.
 */
export const runStory = async (
  target: DemoTarget,
  options: { customer?: Customer; onStepStart?: (n: number, title: string) => void; onStep?: (report: StepReport) => void } = {},
): Promise<StoryResult> => {
  const api = new DemoClient(target);
  const customer = options.customer ?? newCustomer();
  const ids: StoryIds = {};
  await api.ignoreMailSoFar();
  await findDefinitions(api, ids);
  const steps: StepReport[] = [];
  for (const [i, [title, run]] of STORY_STEPS.entries()) {
    options.onStepStart?.(i + 1, title);
    const step = new Step(api, ids, customer, i + 1, title);
    try {
      await run(step);
    } catch (error) {
      if (error instanceof StepFailed) error.done = step.report;
      throw error;
    }
    steps.push(step.report);
    options.onStep?.(step.report);
  }
  api.enter('8. The journey report and paths');
  const journeyId = ids.journeyId as string;
  const report = await api.expect<JourneyFigures['report']>(200, 'u-agent', 'GET', `/v1/journeys/${journeyId}/report`);
  const paths = await api.expect<JourneyFigures['paths']>(200, 'u-agent', 'GET', `/v1/journeys/${journeyId}/paths?limit=5`);
  return { customer, ids, steps, journey: { report, paths } };
};
