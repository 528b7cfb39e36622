import { cadenceRecordEventsPattern, sesEventsPattern } from './cadences/event-patterns.js';
import { eventPattern } from '../shared/events/catalog/define-event.js';
import { approvalDecided, approvalEscalated, approvalRequested, blueprintTransitioned, reviewDecided, reviewRequested } from '../shared/events/catalog/processes.js';
import { requestStatusChanged } from '../shared/events/catalog/request-status-changed.js';
import { timerScheduled } from '../shared/events/catalog/timer-scheduled.js';
import { recordCreated } from '../shared/events/catalog/record-created.js';
import { recordUpdated } from '../shared/events/catalog/record-updated.js';
import { journeyStateChanged, leadConverted } from '../shared/events/catalog/index.js';
import { EVENT_SOURCE } from '../shared/events/envelope.js';
import { WORKFLOW_RULE_EVENTS } from '../shared/domain/workflow/rule.js';
import { kioskNotificationRequested, kioskWebhookRequested } from '../shared/events/catalog/screens.js';
import { moduleUpdated } from '../shared/events/catalog/module-updated.js';
import { moduleViewBackfillContinued } from '../shared/events/catalog/module-view-backfill-continued.js';

/**
 * The one table of event subscriptions: EventBridge pattern → target.
 * CDK creates one rule per entry (with retry policy and a DLQ); the local router reads the same
 * table and matches with shared/events/event-pattern.ts.
 */
export type SubscriptionTarget =
  /** A bus consumer: `functions/events/<consumer>.ts` (logic) and `<consumer>.handler.ts` (Lambda entry). */
  | { kind: 'consumer'; consumer: string }
  /** A state machine from `stepfunctions/<workflow>/<workflow>.workflow.ts`; the event detail is its input. */
  | { kind: 'stateMachine'; workflow: string };

export interface Subscription {
  /** Stable id: becomes part of the rule name. */
  id: string;
  description: string;
  /** An EventBridge event pattern (validated by the matcher's validatePattern in tests). */
  pattern: Record<string, unknown>;
  target: SubscriptionTarget;
}

export const subscriptions: Subscription[] = [
  {
    id: 'notify-requester',
    description: 'Tell the requester, in-app and by email, when the team changes the status of their request',
    pattern: eventPattern(requestStatusChanged),
    target: { kind: 'consumer', consumer: 'notify-requester' },
  },
  {
    id: 'start-timer',
    description: 'Start the shared timer state machine for a wake-up a command scheduled in its own transaction (named after kind, key, token: a duplicate is a no-op)',
    pattern: eventPattern(timerScheduled),
    target: { kind: 'consumer', consumer: 'start-timer' },
  },
  {
    id: 'process-notifications',
    description: 'Tell approvers and reviewers what awaits them, and submitters and creators what was decided and why (in-app; decisions also by email)',
    pattern: eventPattern(approvalRequested, approvalDecided, approvalEscalated, reviewRequested, reviewDecided),
    target: { kind: 'consumer', consumer: 'process-notifications' },
  },
  {
    id: 'process-actions',
    description: "Run a blueprint transition's after-actions and an approval decision's actions through the action library (idempotent on the event)",
    pattern: eventPattern(blueprintTransitioned, approvalDecided),
    target: { kind: 'consumer', consumer: 'process-actions' },
  },
  {
    id: 'cadence-enroller',
    description: 'Enroll Leads and Contacts in cadences whose criteria they meet, and take them out when they meet the unenrollment criteria or are deleted',
    pattern: cadenceRecordEventsPattern,
    target: { kind: 'consumer', consumer: 'cadence-enroller' },
  },
  {
    id: 'cadence-email-events',
    description: "SES events of cadence emails (delivery, open, click, bounce, complaint) → email.* events, report counters, suppression, the enrollment's next step",
    pattern: sesEventsPattern,
    target: { kind: 'consumer', consumer: 'cadence-email-events' },
  },
  {
    id: 'journey-router',
    description: 'Move journey instances on record, conversion and email events (start one for a new record of a journey\'s first module)',
    pattern: { source: [EVENT_SOURCE], 'detail-type': [...eventPattern(recordCreated, recordUpdated, leadConverted)['detail-type'], 'email.sent', 'email.opened', 'email.clicked', 'email.replied'] },
    target: { kind: 'consumer', consumer: 'journey-router' },
  },
  {
    id: 'journey-actions',
    description: "Run the entry actions of the state a journey instance entered (tasks, emails, notifications, conversion, related records, escalation)",
    pattern: eventPattern(journeyStateChanged),
    target: { kind: 'consumer', consumer: 'journey-actions' },
  },
  {
    id: 'workflow-rules',
    description: "Run the module's workflow rules on record changes and process events (idempotent on the event id; depth-limited)",
    pattern: { source: [EVENT_SOURCE], 'detail-type': [...WORKFLOW_RULE_EVENTS] },
    target: { kind: 'consumer', consumer: 'workflow-rules' },
  },
  {
    id: 'kiosk-notify',
    description: 'Send what a kiosk run asked: in-app notifications and emails to users and customers',
    pattern: eventPattern(kioskNotificationRequested),
    target: { kind: 'consumer', consumer: 'kiosk-notify' },
  },
  {
    id: 'kiosk-webhook',
    description: 'Post the signed webhooks a kiosk run asked for (https, retried, private addresses refused in AWS)',
    pattern: eventPattern(kioskWebhookRequested),
    target: { kind: 'consumer', consumer: 'kiosk-webhook' },
  },
  {
    id: 'view-backfill',
    description: "Backfill a module's kanban and chart views for its new definition, page by page from a saved cursor",
    pattern: eventPattern(moduleUpdated, moduleViewBackfillContinued),
    target: { kind: 'consumer', consumer: 'view-backfill' },
  },
];
