import { beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { handleJourneyEvent } from '../../../functions/events/journey-router.js';
import { moveInstanceByHand } from '../../../functions/journeys/run-instances.js';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { saveDefinition } from '../../../shared/db/definitions-repo.js';
import { getInstances, instancesOfCustomers, putActiveJourney } from '../../../shared/db/journeys-repo.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { wake } from '../../../stepfunctions/timer/tasks/wake.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { scheduledWaits } from '../../support/timer-waits.js';

const DAY = 86_400_000;
let now = Date.parse('2027-03-01T10:00:00.000Z');
let deps: AppDeps;
const started: Array<{ executionName: string; input: unknown }> = [];
beforeAll(async () => {
  deps = await createTestDeps({ clock: () => new Date(now), timers: { start: async (executionName, input) => (started.push({ executionName, input }), 'started') } });
  const stored = await saveDefinition(deps, 'journey', 'J-DEADLINES', TRAVEL_CUSTOMER_JOURNEY, undefined, { actor: 'u-admin', via: 'api', correlationId: 'd' });
  await putActiveJourney(deps, { journeyId: stored.id, version: 1, name: stored.name });
});

const leadCreated = (leadId: string, at: string): BusEvent => ({
  version: '0', id: ulid(), source: 'keiro', 'detail-type': 'record.created', account: 'local', region: 'local', time: at, resources: [],
  detail: {
    metadata: { id: ulid(), occurredAt: at, actor: 'u-agent', correlationId: 'c' },
    data: { module: 'Leads', recordId: leadId, version: 1, ownerId: 'u-agent', changes: [{ field: 'lastName', old: null, new: 'Quiet' }], record: { id: leadId, module: 'Leads', version: 1, ownerId: 'u-agent', fields: { lastName: 'Quiet' }, createdAt: at, updatedAt: at } },
  },
});

const instanceOf = async (leadId: string) => {
  const [alias] = await instancesOfCustomers(deps, [leadId]);
  return (await getInstances(deps, [alias!.instanceId]))[0]!;
};

describe('journey deadlines on the shared timer', () => {
  it('a new lead schedules its 14-day deadline in the same transaction; the wake moves it to nurture; a stale wake ends quietly', async () => {
    const leadId = ulid();
    await handleJourneyEvent(leadCreated(leadId, new Date(now).toISOString()), deps);
    const instance = await instanceOf(leadId);
    expect(instance.state).toBe('lead');
    const outbox = await scheduledWaits(deps, 'journey', `${instance.instanceId}#gone-quiet`);
    expect(outbox).toHaveLength(1);
    const { bucket: _bucket, ...timer } = outbox[0]!.data;
    expect(timer).toMatchObject({ kind: 'journey', wakeAt: new Date(now + 14 * DAY).toISOString().replace('.000Z', 'Z'), token: `v1@${new Date(now + 14 * DAY).toISOString()}` });

    // Woken early (e.g. a hop of a far deadline): it only waits again, with a new token.
    now += 3 * DAY;
    const early = await wake(deps, timer);
    const hop = 'next' in early ? early.next : undefined;
    expect(hop?.token).not.toBe(timer.token);
    expect((await instanceOf(leadId)).state).toBe('lead');

    now += 11 * DAY + 1000;
    await wake(deps, { ...timer, wakeAt: hop!.wakeAt, token: hop!.token });
    const moved = await instanceOf(leadId);
    expect(moved.state).toBe('nurture');
    expect(moved.visits.at(-1)).toMatchObject({ state: 'nurture', reason: '14 days in state' });

    // The same wake again (a retried task, a duplicate wait): it woke already, nothing happens.
    now += DAY;
    expect(await wake(deps, timer)).toEqual({ kind: 'journey', key: timer.key, token: timer.token, done: true });
    expect((await instanceOf(leadId)).version).toBe(moved.version);
  });

  it('a lead qualified before its deadline is not moved by the deadline', async () => {
    const leadId = ulid();
    const at = new Date(now).toISOString();
    await handleJourneyEvent(leadCreated(leadId, at), deps);
    const instance = await instanceOf(leadId);
    const updated: BusEvent = {
      ...leadCreated(leadId, at),
      'detail-type': 'record.updated',
      detail: {
        metadata: { id: ulid(), occurredAt: new Date(now + DAY).toISOString(), actor: 'u-agent', correlationId: 'c' },
        data: { module: 'Leads', recordId: leadId, version: 2, ownerId: 'u-agent', changes: [{ field: 'leadStatus', old: null, new: 'Qualified' }], record: { id: leadId, module: 'Leads', version: 2, ownerId: 'u-agent', fields: { lastName: 'Quiet', leadStatus: 'Qualified' }, createdAt: at, updatedAt: at } },
      },
    };
    await handleJourneyEvent(updated, deps);
    expect((await instanceOf(leadId)).state).toBe('prospect');
    now += 15 * DAY;
    await wake(deps, { kind: 'journey', key: `${instance.instanceId}#gone-quiet`, wakeAt: new Date(now).toISOString(), token: `v1@${new Date(now - DAY).toISOString()}` });
    expect((await instanceOf(leadId)).state).toBe('prospect');
  });

  it('an email sent in trip-completed arms the 3-day no-reply wait; a reply moves the customer to promoter and the wait then ends quietly', async () => {
    const leadId = ulid();
    await handleJourneyEvent(leadCreated(leadId, new Date(now).toISOString()), deps);
    const instance = await instanceOf(leadId);
    await moveInstanceByHand(deps, instance, 'trip-completed', 'test', { actor: 'u-admin', via: 'journey', correlationId: 'm' });
    const email = (name: string, at: number): BusEvent => ({
      ...leadCreated(leadId, new Date(at).toISOString()),
      'detail-type': name,
      detail: { metadata: { id: ulid(), occurredAt: new Date(at).toISOString(), actor: 'system', correlationId: 'e' }, data: { recordId: leadId, messageId: 'm-1' } },
    });
    await handleJourneyEvent(email('email.sent', now), deps);
    const armed = await instanceOf(leadId);
    expect(armed.lastEmailAt).toBe(new Date(now).toISOString());
    const waits = await scheduledWaits(deps, 'journey', `${instance.instanceId}#no-reply`);
    expect(waits.map((w) => w.data.token)).toContain(`v${armed.version}@${new Date(now + 3 * DAY).toISOString()}`);
    // An email about no record is not a journey's business.
    await handleJourneyEvent({ ...email('email.opened', now), detail: { metadata: { id: ulid(), occurredAt: new Date(now).toISOString(), actor: 'system', correlationId: 'e' }, data: { to: 'x@example.jp' } } }, deps);

    await handleJourneyEvent(email('email.replied', now + DAY), deps);
    const promoted = await instanceOf(leadId);
    expect(promoted.state).toBe('promoter');
    expect(promoted.visits.at(-1)!.reason).toBe('Email replied');
    now += 4 * DAY;
    await wake(deps, { kind: 'journey', key: `${instance.instanceId}#no-reply`, wakeAt: new Date(now).toISOString(), token: `v${armed.version}@${new Date(now - DAY).toISOString()}` });
    expect((await instanceOf(leadId)).state).toBe('promoter');
  });
});
