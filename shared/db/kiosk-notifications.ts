import type { AppDeps } from '../adapters/deps.js';
import type { EventDefinition } from '../events/catalog/define-event.js';
import { kioskNotificationRequested, kioskWebhookRequested, type KioskNotification, type KioskWebhook } from '../events/catalog/screens.js';
import { historyPut, type ChangeContext } from './history.js';
import { kioskStepKeys, screenFlowKeys } from './keys.js';
import { ConditionFailed, transactWrite } from './transact.js';

/** The step marker outlives any retry of the run (runs expire within a day). */
const STEP_MARKER_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Asks for a side effect of a kiosk step (a notification, a webhook): its history entry on the run
 * (the outbox carries it to its consumer) and a marker for (run, step), in one transaction. A retried
 * submit that reaches the same step finds the marker and asks nothing twice.
 */
const requestKioskEffect = async (deps: AppDeps, event: EventDefinition, data: { runId: string; nodeId: string; step: number }, ctx: ChangeContext): Promise<'requested' | 'already-requested'> => {
  const now = deps.clock();
  try {
    await transactWrite(deps, [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...kioskStepKeys.key(data.runId, data.nodeId, data.step), entity: 'KioskStep', at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + STEP_MARKER_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      historyPut(deps.tableName, {
        subjectPK: screenFlowKeys.key('kiosk', data.runId).PK,
        subject: { type: 'kiosk-run', id: data.runId },
        eventId: deps.newId(),
        eventName: event.name,
        occurredAt: now.toISOString(),
        data,
        context: ctx,
      }),
    ]);
    return 'requested';
  } catch (error) {
    if (error instanceof ConditionFailed && error.failedIndexes.includes(0)) return 'already-requested';
    throw error;
  }
};

/** A kiosk notification, sent by the kiosk-notify consumer. */
export const requestKioskNotification = (deps: AppDeps, notification: KioskNotification, ctx: ChangeContext) => requestKioskEffect(deps, kioskNotificationRequested, notification, ctx);

/** A kiosk webhook, posted by the kiosk-webhook consumer. */
export const requestKioskWebhook = (deps: AppDeps, webhook: KioskWebhook, ctx: ChangeContext) => requestKioskEffect(deps, kioskWebhookRequested, webhook, ctx);
