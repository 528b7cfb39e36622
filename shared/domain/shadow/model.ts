/** The definition kinds a shadow run tries. */
export const SHADOW_KINDS = ['blueprint', 'workflowRule', 'approvalProcess', 'cadence', 'journey'] as const;
export type ShadowKind = (typeof SHADOW_KINDS)[number];

export const SHADOW_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ShadowStatus = (typeof SHADOW_STATUSES)[number];

/** What a definition does to a record, by kind (the label tells outcomes of one kind apart). */
export const SHADOW_OUTCOMES = [
  'email',
  'task',
  'fieldUpdate',
  'notification',
  'webhook',
  'recordCreated',
  'transitionOffered',
  'transitionBlocked',
  'approvalStarted',
  'enrollment',
  'journeyEntered',
  'journeyMove',
  'skipped',
] as const;
export type ShadowOutcomeKind = (typeof SHADOW_OUTCOMES)[number];

/** A window spans at most this many days. */
export const MAX_WINDOW_DAYS = 90;
