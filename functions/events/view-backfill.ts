import type { AppDeps } from '../../shared/adapters/deps.js';
import { moduleUpdated, moduleViewBackfillContinued } from '../../shared/events/catalog/index.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { continueBackfillLater } from '../../shared/db/view-backfill-repo.js';
import { runViewBackfill } from '../records/view-backfill.js';

export const VIEW_BACKFILL = 'view-backfill';

/** Pages (of 100 records) one run reads before it hands over: well inside the consumer's timeout. */
export const PAGES_PER_RUN = 5;

/**
 * On `module.updated` (and `module.view-backfill-continued`): backfill the module's views for its new
 * definition.
 * 1. Parse the event (a malformed one throws: retried, then dead-lettered).
 * 2. Run the backfill for at most PAGES_PER_RUN pages from its saved cursor (runViewBackfill: resumable
 *    and idempotent, so a redelivery or a replay after a crash only goes on where it stopped).
 * 3. If pages remain, put `module.view-backfill-continued` on the outbox: the next run starts from it.
 */
export const handleViewBackfill = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const module =
    event['detail-type'] === moduleViewBackfillContinued.name ? moduleViewBackfillContinued.schema.parse(event.detail.data).module : moduleUpdated.schema.parse(event.detail.data).module.name;
  const run = await runViewBackfill(deps, module, { maxPages: PAGES_PER_RUN });
  if (run.more && run.progress) await continueBackfillLater(deps, run.progress, event.detail.metadata.correlationId);
};

export const viewBackfill: EventConsumer = { name: VIEW_BACKFILL, handle: handleViewBackfill };
