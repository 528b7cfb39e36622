import type { AppDeps } from '../adapters/deps.js';
import type { EventDefinition } from '../events/catalog/define-event.js';
import { kioskNotificationRequested, kioskWebhookRequested, type KioskNotification, type KioskWebhook } from '../events/catalog/screens.js';
import { historyPut, type ChangeContext } from './history.js';
import { kioskStepKeys, screenFlowKeys, type Key } from './keys.js';
import type { WritePart } from './kiosk-writes.js';

/** The step marker outlives any retry of the run (runs expire within a day). */
const STEP_MARKER_TTL_SECONDS = 7 * 24 * 60 * 60;

interface StepRef {
  runId: string;
  nodeId: string;
  step: number;
}

/** The marker of a (run, step) whose side effect was requested. */
export const kioskStepMarker = (step: StepRef): Key => kioskStepKeys.key(step.runId, step.nodeId, step.step);

/**
 * Asks for a side effect of a kiosk step (a notification, a webhook), as part of the step's one
 * transaction: its history entry on the run (the outbox carries it to its consumer) and a marker for
 * (run, step) that must not exist yet. A marker that exists means the step was requested before, by a
 * write made ahead of the run's (see kiosk-writes.ts): the part is stale, and the step is run again, where
 * the caller finds the marker and asks nothing twice.
 */
const kioskEffectPart = (deps: AppDeps, event: EventDefinition, data: StepRef & Record<string, unknown>, ctx: ChangeContext): WritePart => {
  const now = deps.clock();
  return {
    items: [
      {
        Put: {
          TableName: deps.tableName,
          Item: { ...kioskStepMarker(data), entity: 'KioskStep', at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + STEP_MARKER_TTL_SECONDS },
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
    ],
    failure: (offset, failed) => (failed.includes(offset) ? 'stale' : undefined),
  };
};

/** A kiosk notification, sent by the kiosk-notify consumer. */
export const kioskNotificationPart = (deps: AppDeps, notification: KioskNotification, ctx: ChangeContext) => kioskEffectPart(deps, kioskNotificationRequested, notification, ctx);

/** A kiosk webhook, posted by the kiosk-webhook consumer. */
export const kioskWebhookPart = (deps: AppDeps, webhook: KioskWebhook, ctx: ChangeContext) => kioskEffectPart(deps, kioskWebhookRequested, webhook, ctx);
