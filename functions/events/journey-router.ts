import type { AppDeps } from '../../shared/adapters/deps.js';
import type { JourneyEvent } from '../../shared/domain/journey/engine.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { leadConverted } from '../../shared/events/catalog/lead-converted.js';
import { recordCreated } from '../../shared/events/catalog/record-created.js';
import { recordUpdated } from '../../shared/events/catalog/record-updated.js';
import { RecordEventDataSchema } from '../../shared/events/catalog/common.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { eventIdOf } from '../../shared/events/idempotent-consumer.js';
import * as z from 'zod';
import { routeJourneyEvent, type JourneyInput } from '../journeys/run-instances.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const JOURNEY_ROUTER = 'journey-router';

/** The email events journeys follow (named in the shared contract; their `data` names the record the email was about). */
export const JOURNEY_EMAIL_EVENTS = ['email.sent', 'email.opened', 'email.clicked', 'email.replied'] as const;
const EmailEventData = lazySchema(() => z.object({ recordId: z.string().min(1) }).loose());

/** The customer records a record may concern: itself, and the leads and contacts its lookup fields name. */
const candidatesOf = async (deps: AppDeps, module: string, id: string, fields: Record<string, unknown>): Promise<string[]> => {
  const meta = await getModule(deps, module);
  const linked = (meta?.fields ?? []).filter((f) => f.type === 'lookup' && (f.lookupModule === 'Leads' || f.lookupModule === 'Contacts')).map((f) => fields[f.name]);
  return [id, ...linked.filter((v): v is string => typeof v === 'string' && v !== '')];
};

/** Turns a bus event into the journey router's input (undefined: nothing journeys follow). */
export const journeyInputOf = async (event: BusEvent, deps: AppDeps): Promise<JourneyInput | undefined> => {
  const { metadata } = event.detail;
  const ctx: ChangeContext = { actor: 'system', via: 'journey', correlationId: metadata.correlationId, causationId: metadata.id, depth: metadata.depth ?? 0 };
  const base = { eventId: eventIdOf(event), ctx };
  const at = metadata.occurredAt;
  switch (event['detail-type']) {
    case recordCreated.name:
    case recordUpdated.name: {
      const data = RecordEventDataSchema.parse(event.detail.data);
      const { record } = data;
      const journeyEvent: JourneyEvent =
        event['detail-type'] === recordCreated.name
          ? { kind: 'record.created', module: record.module, fields: record.fields, at }
          : { kind: 'record.updated', module: record.module, fields: record.fields, changes: data.changes, at };
      return { ...base, event: journeyEvent, candidates: await candidatesOf(deps, record.module, record.id, record.fields), record: { module: record.module, id: record.id, fields: record.fields } };
    }
    case leadConverted.name: {
      const data = leadConverted.schema.parse(event.detail.data);
      return {
        ...base,
        event: { kind: 'lead.converted', at },
        candidates: [data.recordId],
        record: { module: 'Leads', id: data.recordId, fields: data.record.fields },
        convertedTo: { module: 'Contacts', id: data.conversion.contactId },
      };
    }
    default: {
      const kind = JOURNEY_EMAIL_EVENTS.find((name) => name === event['detail-type']);
      if (!kind) return undefined;
      // An email about no record (e.g. to a user) concerns no customer's journey.
      const data = EmailEventData.safeParse(event.detail.data);
      if (!data.success) return undefined;
      return { ...base, event: { kind: 'email', event: kind.slice('email.'.length) as 'sent' | 'opened' | 'clicked' | 'replied', at }, candidates: [data.data.recordId] };
    }
  }
};

/**
 * On record, conversion and email events: move the journeys' instances (see routeJourneyEvent).
 * Idempotent on the event id by its own marks (`own-marks`: no claim and finish per delivery): each
 * instance's applied-event mark is written in the same transaction as its change, and a start is
 * conditional on the customer's alias. A redelivery finds them and writes nothing; an event that moved
 * nothing left no mark, as if its first delivery had crashed before writing.
 */
export const handleJourneyEvent = async (event: BusEvent, deps: AppDeps): Promise<void> => {
  const input = await journeyInputOf(event, deps);
  if (input) await routeJourneyEvent(deps, input);
};

export const journeyRouter: EventConsumer = { name: JOURNEY_ROUTER, handle: handleJourneyEvent, idempotency: 'own-marks' };
