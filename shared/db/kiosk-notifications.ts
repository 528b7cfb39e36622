import type { AppDeps } from '../adapters/deps.js';
import { kioskNotificationRequested, type KioskNotification } from '../events/catalog/screens.js';
import { historyPut, type ChangeContext } from './history.js';
import { kioskStepKeys, screenFlowKeys } from './keys.js';
import { ConditionFailed, transactWrite } from './transact.js';

/** The step marker outlives any retry of the run (runs expire within a day). */
const STEP_MARKER_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Asks for a kiosk notification: a `kiosk.notification-requested` history entry on the run (the outbox
 * carries it to the kiosk-notify consumer) and a marker for (run, step), in one transaction. A retried
 * submit that reaches the same step finds the marker and asks nothing twice.
 */
export const requestKioskNotification = async (deps: AppDeps, notification: KioskNotification, ctx: ChangeContext): Promise<'requested' | 'already-requested'> => {
  const now = deps.clock();
  try {
    await transactWrite(deps, [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...kioskStepKeys.key(notification.runId, notification.nodeId, notification.step), entity: 'KioskStep', at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + STEP_MARKER_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      historyPut(deps.tableName, {
        subjectPK: screenFlowKeys.key('kiosk', notification.runId).PK,
        subject: { type: 'kiosk-run', id: notification.runId },
        eventId: deps.newId(),
        eventName: kioskNotificationRequested.name,
        occurredAt: now.toISOString(),
        data: notification,
        context: ctx,
      }),
    ]);
    return 'requested';
  } catch (error) {
    if (error instanceof ConditionFailed && error.failedIndexes.includes(0)) return 'already-requested';
    throw error;
  }
};
