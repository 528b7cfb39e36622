/**
 * The event catalog: every event Keiro puts on the bus, one module each (name, source, version,
 * zod schema of `data`). Events are published as `{ metadata, data }` (shared/events/envelope.ts)
 * with the name as EventBridge detail-type. Later issues add their events here.
 */
import type { EventDefinition } from './define-event.js';
import { cadenceEvents } from './cadences.js';
import { moduleCreated } from './module-created.js';
import { moduleUpdated } from './module-updated.js';
import { moduleViewBackfillContinued } from './module-view-backfill-continued.js';
import { recordCreated } from './record-created.js';
import { recordDeleted } from './record-deleted.js';
import { recordErased } from './record-erased.js';
import { recordUpdated } from './record-updated.js';
import { processEvents } from './processes.js';
import { screenEvents } from './screens.js';
import { teamEvents } from './teams.js';
import { timerScheduled } from './timer-scheduled.js';
import { leadConverted, recordLinked } from './lead-converted.js';
import { journeyStateChanged } from './journey-state-changed.js';
import { workflowRuleEvents } from './workflow-rules.js';
import { userCreated } from './user-created.js';
import { userUpdated } from './user-updated.js';

export { defineEvent, eventPattern, type EventData, type EventDefinition } from './define-event.js';
export { moduleCreated, moduleUpdated, moduleViewBackfillContinued, recordCreated, recordDeleted, recordErased, recordUpdated, userCreated, userUpdated };
export { timerScheduled };
export { leadConverted, recordLinked, journeyStateChanged };
export * from './workflow-rules.js';
export * from './teams.js';
export * from './processes.js';
export * from './workflow-rules.js';
export * from './screens.js';
export * from './cadences.js';

export const eventCatalog: readonly EventDefinition[] = [
  recordCreated,
  recordUpdated,
  recordDeleted,
  recordErased,
  moduleCreated,
  moduleUpdated,
  moduleViewBackfillContinued,
  userCreated,
  userUpdated,
  ...teamEvents,
  ...processEvents,
  ...screenEvents,
  ...cadenceEvents,
  timerScheduled,
  leadConverted,
  recordLinked,
  journeyStateChanged,
  ...workflowRuleEvents,
];

const byName = new Map(eventCatalog.map((e) => [e.name, e]));

export const findEvent = (name: string): EventDefinition | undefined => byName.get(name);

export const requireEvent = (name: string): EventDefinition => {
  const event = byName.get(name);
  if (!event) throw new Error(`No event named ${name} in the catalog`);
  return event;
};
