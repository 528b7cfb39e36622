import type { AppDeps } from '../../shared/adapters/deps.js';
import { CadenceDefinitionSchema } from '../../shared/domain/cadence/definition.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../shared/domain/cadence/demo.js';
import { getCadence, insertCadence, setCadenceActive } from '../../shared/db/cadences-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';

/** The demo cadence's fixed id. */
export const DEMO_CADENCE_ID = '01JDEMOCAD0000000000000001';

/** Seeds the cadence "Travel inquiry follow-up" (shared/domain/cadence/demo.ts), active: new leads with an email are enrolled. */
export const seedCadences = async (deps: AppDeps, ctx: ChangeContext): Promise<void> => {
  const existing = await getCadence(deps, DEMO_CADENCE_ID);
  const cadence = existing ?? (await insertCadence(deps, DEMO_CADENCE_ID, CadenceDefinitionSchema.parse(TRAVEL_INQUIRY_FOLLOW_UP), ctx.actor));
  if (!cadence.active) await setCadenceActive(deps, cadence, true, ctx.actor);
};
