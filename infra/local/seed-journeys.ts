import type { AppDeps } from '../../shared/adapters/deps.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../shared/domain/journey/demo.js';
import { findDefinitionByName, saveDefinition } from '../../shared/db/definitions-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { putActiveJourney } from '../../shared/db/journeys-repo.js';

export const DEMO_JOURNEY_ID = '01JDEMOJRN0000000000000001';

/** The demo's "Travel customer journey" (see the README), saved as version 1 and active: every new lead enters it. */
export const seedJourneys = async (deps: AppDeps, ctx: ChangeContext): Promise<void> => {
  const existing = await findDefinitionByName(deps, 'journey', TRAVEL_CUSTOMER_JOURNEY.name);
  const stored = existing ?? (await saveDefinition(deps, 'journey', DEMO_JOURNEY_ID, TRAVEL_CUSTOMER_JOURNEY, undefined, ctx));
  await putActiveJourney(deps, { journeyId: stored.id, version: stored.version, name: stored.name });
};
