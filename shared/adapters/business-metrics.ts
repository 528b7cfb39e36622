/**
 * The business figures Keiro publishes (CloudWatch namespace `Keiro`, EMF lines written by the
 * functions), for the people who run it. Features record them through `businessMetric` in
 * shared/adapters/metrics.ts; the observability stack's dashboard graphs every name listed here.
 * Add a name here before the first call that records it.
 */
export const METRICS_NAMESPACE = 'Keiro';

export const BUSINESS_METRICS = {
  RecordsCreated: 'Records created (API, wizards, conversions, automations)',
  RecordsUpdated: 'Records updated (API, kiosks, automations)',
  RequestsSubmitted: 'Team requests submitted by requesters',
  WizardSessionsFinished: 'Wizard sessions finished (the record was written)',
  KioskRunsCompleted: 'Kiosk runs completed (their actions ran)',
  EmailsSent: 'Emails handed to SES (each at most once per event and recipient)',
  EmailsBounced: 'Emails SES reported as bounced',
  EmailsOpened: 'Emails SES reported as opened',
  TransitionsMade: 'Blueprint transitions made',
  ApprovalsDecided: 'Approval decisions (approved or rejected)',
  RuleRuns: 'Workflow rule runs',
  RuleRunFailures: 'Workflow rule runs with an action refused or unresolved',
  JourneyMoves: 'Journey instances entering a state (started, moved by events, timers or people)',
  LeadsConverted: 'Leads converted (by people or journeys)',
  CadenceEnrollments: 'Records enrolled in a cadence (by people, criteria or journeys)',
} as const;

export type BusinessMetricName = keyof typeof BUSINESS_METRICS;

/** The dashboard's groups of business figures: one graph each. */
export const BUSINESS_METRIC_GROUPS: ReadonlyArray<{ title: string; metrics: readonly BusinessMetricName[] }> = [
  { title: 'Records', metrics: ['RecordsCreated', 'RecordsUpdated', 'RequestsSubmitted'] },
  { title: 'Screens', metrics: ['WizardSessionsFinished', 'KioskRunsCompleted'] },
  { title: 'Emails', metrics: ['EmailsSent', 'EmailsBounced', 'EmailsOpened'] },
  { title: 'Processes', metrics: ['TransitionsMade', 'ApprovalsDecided'] },
  { title: 'Workflow rules', metrics: ['RuleRuns', 'RuleRunFailures'] },
  { title: 'Customer journeys', metrics: ['JourneyMoves', 'LeadsConverted', 'CadenceEnrollments'] },
];
