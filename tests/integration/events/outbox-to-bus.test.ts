import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord, updateRecord } from '../../../shared/db/records-repo.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { recordUpdated } from '../../../shared/events/catalog/index.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { flakyConsumer, recordingConsumer } from '../../fixtures/events/consumers.js';
import { fixtureSubscriptions, FLAKY, RECORDER } from '../../fixtures/events/subscriptions.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

const leads = standardModule('Leads') as ModuleMetadata;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'corr-outbox' };

describe('outbox → local bus (DynamoDB Local stream, poller, router)', () => {
  let deps: AppDeps;
  let events: LocalEvents;
  const recorder = recordingConsumer(RECORDER);
  const flaky = flakyConsumer(FLAKY);

  beforeAll(async () => {
    deps = await createTestDeps();
    flaky.failing = false;
    events = startLocalEvents(deps, { subscriptions: fixtureSubscriptions, consumers: [recorder, flaky] });
  });
  afterAll(async () => events.stop());

  const updatesOf = (id: string) => (e: BusEvent) => e['detail-type'] === 'record.updated' && (e.detail.data as { recordId?: string }).recordId === id;

  it('a patched record produces a record.updated event on the local bus, carrying the changed fields', async () => {
    await createRecord(deps, leads, { id: 'L-OUT-1', ownerId: 'u-agent', fields: { lastName: 'Tanaka', leadStatus: 'New' } }, ctx);
    await updateRecord(deps, leads, 'L-OUT-1', { fields: { leadStatus: 'Contacted', company: 'Tanaka Travel' } }, ctx);

    const event = await waitFor(() => events.seen.find(updatesOf('L-OUT-1')), 'record.updated on the bus');
    expect(event).toMatchObject({ source: 'keiro', 'detail-type': 'record.updated' });
    expect(event.detail.metadata).toMatchObject({ actor: 'u-agent', correlationId: 'corr-outbox', via: 'api', version: 1 });
    const data = recordUpdated.schema.parse(event.detail.data);
    expect(data.changes).toEqual([
      { field: 'leadStatus', old: 'New', new: 'Contacted' },
      { field: 'company', old: null, new: 'Tanaka Travel' },
    ]);
    expect(events.seen.find((e) => e['detail-type'] === 'record.created' && (e.detail.data as { recordId?: string }).recordId === 'L-OUT-1')).toBeDefined();
  });

  it('a subscribed consumer sees an event exactly once, even when it is delivered twice', async () => {
    await createRecord(deps, leads, { id: 'L-OUT-2', ownerId: 'u-agent', fields: { lastName: 'Sato' } }, ctx);
    await updateRecord(deps, leads, 'L-OUT-2', { fields: { leadStatus: 'Qualified' } }, ctx);
    const event = await waitFor(() => events.seen.find(updatesOf('L-OUT-2')), 'record.updated on the bus');
    await events.router.drain();

    // Delivered again: the same event, and the same history entry put on the bus anew (new bus id).
    await events.router.publish(event);
    await events.router.publish({ ...event, id: 'another-bus-id' });

    expect(recorder.handled.filter(updatesOf('L-OUT-2'))).toHaveLength(1);
    expect(flaky.handled.filter(updatesOf('L-OUT-2'))).toHaveLength(1);
  });
});
