import { cadenceEmailEvents } from './cadence-email-events.js';
import { cadenceEnroller } from './cadence-enroller.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import { kioskNotify } from './kiosk-notify.js';
import { kioskWebhook } from './kiosk-webhook.js';
import { notifyRequester } from './notify-requester.js';
import { processActions } from './process-actions.js';
import { processNotifications } from './process-notifications.js';
import { startTimerConsumer } from './start-timer.js';
import { journeyRouter } from './journey-router.js';
import { journeyActions } from './journey-actions.js';
import { workflowRulesConsumer } from './workflow-rules.js';
import { viewBackfill } from './view-backfill.js';

/**
 * Every bus consumer, by name: the local event router runs the consumer a subscription names from
 * here (functions/subscriptions.ts `{ kind: 'consumer', consumer: name }`). Add one line per consumer.
 */
export const consumers: readonly EventConsumer[] = [
  notifyRequester,
  processNotifications,
  processActions,
  startTimerConsumer,
  cadenceEnroller,
  cadenceEmailEvents,
  journeyRouter,
  journeyActions,
  workflowRulesConsumer,
  kioskNotify,
  kioskWebhook,
  viewBackfill,
];
