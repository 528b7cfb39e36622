import type { Area } from '../../shared/http/route-spec.js';

/**
 * What each Lambda's code does with AWS, declared once. The CDK grants exactly this (bind helpers
 * in infra/constructs/app-function.ts), and tests/infra/iam.test.ts checks it against the code:
 * every DynamoDB/EventBridge/SES call reachable from a function's entry must be declared here, and
 * nothing may be declared that the code cannot call. Add a line when code starts using a new call.
 *
 * Transactions: IAM has no TransactWriteItems action; a TransactWriteItems request is authorised
 * item by item as PutItem / UpdateItem / DeleteItem / ConditionCheckItem.
 */
export const TABLE_READ_ACTIONS = ['GetItem', 'BatchGetItem', 'Query'] as const;
export const TABLE_WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'BatchWriteItem'] as const;
export type TableAction = (typeof TABLE_READ_ACTIONS)[number] | (typeof TABLE_WRITE_ACTIONS)[number];

export interface FunctionAccess {
  /** DynamoDB actions on the table (and its GSIs when Query is listed). Absent = TABLE_NAME only, no grant. */
  table?: readonly TableAction[];
  /** events:PutEvents on the keiro bus (and EVENT_BUS_NAME). */
  bus?: boolean;
  /** ses:SendEmail with the stage's identity and configuration set (and MAIL_FROM, SES_CONFIGURATION_SET). */
  ses?: boolean;
  /** states:StartExecution on the shared timer state machine (and TIMER_STATE_MACHINE_ARN): the code starts timer executions. Only the start-timer consumer does; code that schedules a wait writes its item in its own transaction. */
  timers?: boolean;
  /** states:StartExecution on the shadow runs' state machine (and SHADOW_STATE_MACHINE_ARN): the code starts shadow runs. */
  shadowRuns?: boolean;
  /** Cadence settings (PUBLIC_API_URL, INBOUND_EMAIL_DOMAIN, ORG_TIME_ZONE, SES_SEND_RATE): no grant of its own. */
  cadence?: boolean;
  /** A note for reviewers when the declaration deliberately differs from what the code could reach. */
  why?: string;
}

const CRUD_TX: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'];

/** Per area Lambda (functions/<area>/handler.ts). */
export const AREA_ACCESS: Record<Area, FunctionAccess> = {
  system: {
    why: 'health and openapi are public GETs: the idempotency store (the only table code the area handler reaches) is used for authenticated POSTs only',
  },
  records: { table: CRUD_TX },
  /** User transactions are Put/Update/Delete only (no ConditionCheck items). */
  users: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  /** Team transactions check that a revoked admin's mark is still absent (ConditionCheck items). */
  teams: { table: CRUD_TX },
  requests: { table: CRUD_TX },
  /** Dead-letter listing and replay: no transactions; replays go back on the bus. */
  admin: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], bus: true },
  /** Blueprints, approvals and reviews: definitions, transitions and decisions, all through the records core's transactions. */
  processes: { table: CRUD_TX },
  /** Definitions, enrollments (each a transaction with counters, history and timer items) and the public unsubscribe route. */
  cadences: { table: CRUD_TX, cadence: true },
  /** Definitions, the active list, manual moves (instance, counters, history and timer outbox items in one transaction). */
  journeys: { table: CRUD_TX },
  /** Tasks, notifications read, workflow rules; shadow runs (validating a journey draft reaches the journeys' definition code, whose saves are transactions). */
  automation: { table: CRUD_TX, shadowRuns: true },
  /** Definitions, sessions, and records created at finish through the records core. */
  wizards: { table: CRUD_TX },
  /** Definitions, runs, and the records a kiosk reads and writes through the records core (notifications go through the outbox). */
  kiosks: { table: CRUD_TX },
};

/** Per bus consumer (functions/events/<consumer>.handler.ts). */
export const CONSUMER_ACCESS: Record<string, FunctionAccess> = {
  'notify-requester': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], ses: true },
  /** Counts records into a new view generation (one transaction per record) and saves its progress. */
  'view-backfill': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] },
  /** Runs actions through the records core (transactions) and sends their emails. */
  'process-actions': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], ses: true },
  'process-notifications': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], ses: true },
  /** Idempotency marker and dead letters in the table; starts the timer state machine. */
  'start-timer': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], timers: true },
  /** Enrollment transactions (with counters, history and timer items) and the shared signing key. */
  'cadence-enroller': { table: CRUD_TX, cadence: true },
  /** SES events → enrollment transactions, suppression items. */
  'cadence-email-events': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  /** Instances, aliases, report counters, state-change entries and timer outbox items, in one transaction per instance. */
  'journey-router': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  /** Entry actions: records through the records core (tasks, conversion, related records, escalation), emails, notifications. */
  'journey-actions': { table: CRUD_TX, ses: true },
  /** Rules run actions through the records core (transactions), send email, and schedule date triggers. */
  'workflow-rules': { table: CRUD_TX, ses: true },
  'kiosk-notify': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], ses: true },
  /** Idempotency markers only; the webhook goes out over HTTPS. */
  'kiosk-webhook': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
};

/**
 * Per step-task Lambda of a workflow (`<workflow>-<task>`). The timer's Wake task runs every kind's
 * wake handler (stepfunctions/timer/wake-handlers.ts): when a feature adds its handler, add what
 * that handler's code calls here (tests/infra/iam.test.ts names it).
 */
export const TASK_ACCESS: Record<string, FunctionAccess> = {
  /** Wake handlers (a page's finished wakes are recorded 25 at a time: BatchWriteItem): cadence steps (enrollment and send-marker transactions, Tasks records, the send-rate counter, SES sends), workflow-rule date triggers, blueprint automatic transitions, approval SLAs and journey deadlines (actions and writes through the records core, email; instance, counters, history and next timers in one transaction). A bucket pass that runs out of time starts the bucket's next pass (StartExecution on the timer). */
  'timer-wake': { table: [...CRUD_TX, 'BatchWriteItem'], ses: true, cadence: true, timers: true },
  /** Shadow run pages: read history (the day index), modules and the run; write only the run's own items (run, state and result chunks). */
  'shadow-page': { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
};

export const taskAccess = (task: string): FunctionAccess => {
  const access = TASK_ACCESS[task];
  if (!access) throw new Error(`Workflow task "${task}" has no access declaration: add it to TASK_ACCESS in infra/config/access.ts`);
  return access;
};

/** The reply processor (SES receiving → S3 → Lambda): reactions on enrollments, suppression, the signing key. Its S3 read is granted on the mail bucket. */
export const INBOUND_MAIL_ACCESS: FunctionAccess = { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], cadence: true };

/** The outbox enricher only transforms the batch it is given: no AWS calls at all. */
export const OUTBOX_ENRICHER_ACCESS: FunctionAccess = {};

export const consumerAccess = (consumer: string): FunctionAccess => {
  const access = CONSUMER_ACCESS[consumer];
  if (!access) {
    throw new Error(
      `Consumer "${consumer}" has no access declaration: add it to CONSUMER_ACCESS in infra/config/access.ts ` +
        '(tests/infra/iam.test.ts lists what its code calls)',
    );
  }
  return access;
};
