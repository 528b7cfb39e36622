import type { AppDeps } from '../../shared/adapters/deps.js';
import type { TimerRequest, WakeResult } from '../../shared/domain/timers/timer.js';
import { APPROVAL_SLA_TIMER } from '../../shared/db/approvals-repo.js';
import { BLUEPRINT_AUTO_TIMER } from '../../shared/db/record-processes.js';
import { approvalSlaWake, blueprintAutoWake } from '../../functions/processes/wakes.js';
import { wakeEnrollment } from '../../functions/cadences/run-enrollment.js';
import { wakeJourneyTimer } from '../../functions/journeys/run-instances.js';
import { DATE_RULE_TIMER, wakeDateRule } from '../../functions/events/workflow-rules.js';

/**
 * A feature's wake-up: re-read DynamoDB, act only if `timer.token` still matches what the feature
 * stored (otherwise return `{}`: a stale wake ends quietly), and optionally return the next wake
 * (with a NEW token: the next wake is a new execution named after it).
 * Throwing means "retry": the task retries with backoff, then the execution fails (alarmed).
 */
export type WakeHandler = (deps: AppDeps, timer: TimerRequest) => Promise<WakeResult>;

/**
 * The one table of timer kinds: kind → the owning feature's handler. Add ONE line per feature
 * (and the table/SES grants its handler needs to TASK_ACCESS['timer-wake'] in infra/config/access.ts;
 * tests/infra/iam.test.ts says which).
 */
export const wakeHandlers: Record<string, WakeHandler> = {
  [BLUEPRINT_AUTO_TIMER]: blueprintAutoWake,
  [APPROVAL_SLA_TIMER]: approvalSlaWake,
  cadence: wakeEnrollment,
  journey: (deps, timer) => wakeJourneyTimer(deps, timer),
  [DATE_RULE_TIMER]: wakeDateRule,
};
