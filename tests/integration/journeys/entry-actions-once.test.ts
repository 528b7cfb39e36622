import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { saveDefinition } from '../../../shared/db/definitions-repo.js';
import { getEnrollment } from '../../../shared/db/enrollments-repo.js';
import { listRecords } from '../../../shared/db/records-queries.js';
import { createRecord, getRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { runEntryActions } from '../../../functions/journeys/entry-actions.js';
import { runCadenceAction } from '../../../functions/journeys/cadences.js';
import { localCadencePorts } from '../../../infra/local/cadence-local.js';
import { DEMO_CADENCE_ID } from '../../../infra/local/seed-cadences.js';
import { DEMO_JOURNEY_ID } from '../../../infra/local/seed-journeys.js';
import { seedDemo } from '../../../infra/local/seed.js';
import { createTestDeps } from '../../support/local-cloud.js';

let deps: AppDeps;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'c' };
const CUSTOM_JOURNEY_ID = '01JTESTJRN0000000000000001';

/** A journey on leads whose "engaged" state creates with each kind the journey has: a task (once and every time), an enrollment, a conversion. */
const CUSTOM_JOURNEY = JourneyDefinitionSchema.parse({
  name: 'Re-entry',
  modules: ['Leads', 'Contacts'],
  initial: 'new',
  states: [
    { id: 'new', name: 'New' },
    {
      id: 'engaged',
      name: 'Engaged',
      onEnter: [
        { type: 'createTask', subject: 'Call them once', assignee: { kind: 'owner' } },
        { type: 'createTask', subject: 'Ping them on every entry', assignee: { kind: 'owner' }, runs: 'everyTime' },
        { type: 'enrollInCadence', cadence: DEMO_CADENCE_ID },
      ],
    },
    { id: 'quiet', name: 'Quiet', onEnter: [{ type: 'unenrollFromCadence', cadence: DEMO_CADENCE_ID }] },
    { id: 'won', name: 'Won', onEnter: [{ type: 'convertLead' }] },
  ],
  transitions: [{ id: 'by-hand', from: '*', to: 'won', trigger: { type: 'manual' } }],
});

beforeAll(async () => {
  deps = await createTestDeps();
  // Enrolling sends the cadence's first email at once: the ports npm start gives it.
  deps.cadence = localCadencePorts(mkdtempSync(join(tmpdir(), 'keiro-once-')));
  await seedDemo(deps);
  await saveDefinition(deps, 'journey', CUSTOM_JOURNEY_ID, CUSTOM_JOURNEY, undefined, ctx);
});

const newRecord = (module: string, fields: Record<string, unknown>): Promise<RecordItem> => createRecord(deps, standardModule(module)!, { id: deps.newId(), ownerId: 'u-agent', fields: fields as never }, ctx);

/** An instance entering `to` (as a `journey.state-changed` event would make it), each entry its own event. */
const enter = (journeyId: string, instanceId: string, to: string, customer: RecordItem) =>
  runEntryActions(deps, deps.newId(), { journeyId, journeyVersion: 1, instanceId, to, reason: 'test', version: 1, customer: { module: customer.module, id: customer.id } }, 1, 'c');

const tasksOf = async (relatedId: string): Promise<string[]> =>
  (await listRecords(deps, 'Tasks', { limit: 200, filters: { relatedId }, order: 'asc' })).items.map((t) => String(t.fields.subject));

describe('journey entry actions run once per (instance, state) unless they say every time', () => {
  it('coming back to "customer" in the demo journey creates no second travel application and no second task', async () => {
    const contact = await newRecord('Contacts', { firstName: 'Mika', lastName: 'Honda', email: `mika.${deps.newId()}@example.jp`, destinationWish: 'Okinawa' });
    const instance = deps.newId();
    const first = await enter(DEMO_JOURNEY_ID, instance, 'customer', contact);
    expect(first.map((o) => o.status)).toEqual(['done', 'done']);
    await enter(DEMO_JOURNEY_ID, instance, 'escalated', contact);
    const again = await enter(DEMO_JOURNEY_ID, instance, 'customer', contact);
    expect(again.map((o) => o.detail)).toEqual([expect.stringMatching(/^already created TravelApplications\/\w+ in journey\//), expect.stringMatching(/^already created Tasks\/\w+ in journey\//)]);
    const applications = await listRecords(deps, 'TravelApplications', { limit: 50, filters: { contactId: contact.id }, order: 'asc' });
    expect(applications.items).toHaveLength(1);
    expect(await tasksOf(contact.id)).toEqual(['Start the travel application']);
    // Another instance of the same customer is another scope: it creates its own.
    await enter(DEMO_JOURNEY_ID, deps.newId(), 'customer', contact);
    expect((await listRecords(deps, 'TravelApplications', { limit: 50, filters: { contactId: contact.id }, order: 'asc' })).items).toHaveLength(2);
  });

  it('two entries racing into one state create once', async () => {
    const contact = await newRecord('Contacts', { firstName: 'Ren', lastName: 'Sato', email: `ren.${deps.newId()}@example.jp`, destinationWish: 'Kyoto' });
    const instance = deps.newId();
    await Promise.all([enter(DEMO_JOURNEY_ID, instance, 'customer', contact), enter(DEMO_JOURNEY_ID, instance, 'customer', contact), enter(DEMO_JOURNEY_ID, instance, 'customer', contact)]);
    expect((await listRecords(deps, 'TravelApplications', { limit: 50, filters: { contactId: contact.id }, order: 'asc' })).items).toHaveLength(1);
    expect(await tasksOf(contact.id)).toEqual(['Start the travel application']);
  });

  it('a task created once, a task on every entry, an enrollment once (not renewed after leaving), a conversion once', async () => {
    const lead = await newRecord('Leads', { lastName: 'Mori', email: `mori.${deps.newId()}@example.jp` });
    const instance = deps.newId();
    await enter(CUSTOM_JOURNEY_ID, instance, 'engaged', lead);
    expect((await getEnrollment(deps, DEMO_CADENCE_ID, lead.id))?.status).toBe('active');
    await enter(CUSTOM_JOURNEY_ID, instance, 'quiet', lead);
    expect((await getEnrollment(deps, DEMO_CADENCE_ID, lead.id))?.status).toBe('unenrolled');
    const again = await enter(CUSTOM_JOURNEY_ID, instance, 'engaged', lead);
    expect(again.map((o) => [o.type, o.status, o.detail?.startsWith('already created') ?? false])).toEqual([
      ['createTask', 'done', true],
      ['createTask', 'done', false],
      ['enrollInCadence', 'done', true],
    ]);
    expect((await getEnrollment(deps, DEMO_CADENCE_ID, lead.id))?.status).toBe('unenrolled');
    expect((await tasksOf(lead.id)).sort()).toEqual(['Call them once', 'Ping them on every entry', 'Ping them on every entry']);

    await enter(CUSTOM_JOURNEY_ID, instance, 'won', lead);
    const [converted] = await enter(CUSTOM_JOURNEY_ID, instance, 'won', lead);
    expect(converted).toMatchObject({ type: 'convertLead', status: 'done', detail: expect.stringContaining('converted already') });
    expect((await getRecord(deps, 'Leads', lead.id))?.fields.converted).toBe(true);
  });

  it('an enrollment that runs every time is renewed on re-entry', async () => {
    const lead = await newRecord('Leads', { lastName: 'Kato', email: `kato.${deps.newId()}@example.jp` });
    const action = { type: 'enrollInCadence' as const, cadence: DEMO_CADENCE_ID, runs: 'everyTime' as const };
    await runCadenceAction(deps, deps.newId(), action, 0, lead, { ...ctx, actor: 'system', via: 'journey' });
    await runCadenceAction(deps, deps.newId(), { type: 'unenrollFromCadence', cadence: DEMO_CADENCE_ID }, 0, lead, { ...ctx, actor: 'system', via: 'journey' });
    await runCadenceAction(deps, deps.newId(), action, 0, lead, { ...ctx, actor: 'system', via: 'journey' });
    expect((await getEnrollment(deps, DEMO_CADENCE_ID, lead.id))?.status).toBe('active');
  });
});
