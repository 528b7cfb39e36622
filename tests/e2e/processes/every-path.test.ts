import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActions } from '../../../functions/events/actions/run-actions.js';
import type { ActionOutcome } from '../../../shared/db/action-runs.js';
import { recordCreated } from '../../../shared/events/catalog/record-created.js';
import { eventPattern } from '../../../shared/events/catalog/define-event.js';
import type { EventConsumer } from '../../../shared/events/consumer.js';
import type { Subscription } from '../../../functions/subscriptions.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

const CONTACT = '01JDEMOCON0000000000000001';

/**
 * The rules hold on every write path: an automation's writes (here a workflow-like consumer running
 * the action library on record.created) get the same 422 for a governed field and 423 for a locked
 * record as a PATCH does; and concurrent transitions of one record leave exactly one winner.
 */
describe('enforcement on every path, and races (e2e)', () => {
  let api: E2eApi;
  let events: LocalEvents;
  const outcomes = new Map<string, ActionOutcome[]>();

  /** A fixture automation: on each new travel application or deal, set fields through the action library. */
  const automation: EventConsumer = {
    name: 'fixture-automation',
    handle: async (event, deps) => {
      const data = recordCreated.schema.parse(event.detail.data);
      const fields: Record<string, string | number> = data.module === 'TravelApplications' ? { stage: 'Completed' } : { amount: 1 };
      outcomes.set(data.recordId, await runActions(deps, { sourceEventId: event.detail.metadata.id, via: { kind: 'workflow-rule', id: 'fixture', name: 'Fixture automation' }, depth: 1, actorId: 'system', record: { id: data.recordId, module: data.module, ownerId: data.ownerId, fields: data.record.fields as Record<string, string> }, actions: [{ type: 'updateFields', fields }, { type: 'notify', to: { kind: 'owner' }, message: 'Automation ran' }] }));
    },
  };
  const subscription: Subscription = { id: 'fixture-automation', description: 'fixture', pattern: { ...eventPattern(recordCreated), detail: { data: { module: ['TravelApplications', 'Deals'] } } }, target: { kind: 'consumer', consumer: 'fixture-automation' } };

  beforeAll(async () => {
    api = await startE2eApi();
    events = startLocalEvents(api.deps, { subscriptions: [subscription], consumers: [automation] });
  });
  afterAll(async () => {
    await events?.stop();
    await api?.close();
  });

  it("an automation's write of the governed field is refused (422) and changes nothing", async () => {
    const created = await api.call('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: 'Automation target', contactId: CONTACT } } });
    const result = await waitFor(() => outcomes.get(created.body.id), 'the automation to run');
    expect(result[0]).toMatchObject({ status: 'refused', detail: expect.stringMatching(/^422 .*fields\.stage/) });
    expect(result[1]).toMatchObject({ status: 'done' });
    expect((await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${created.body.id}`)).body.fields.stage).toBe('Requirements Check');
  });

  it("an automation's write of a record locked by a pending approval is refused (423)", async () => {
    const created = await api.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: 'Locked deal', amount: 900, discountPercent: 25 } } });
    expect(created.body.lock).toMatchObject({ reason: 'approval' });
    const result = await waitFor(() => outcomes.get(created.body.id), 'the automation to run');
    expect(result[0]).toMatchObject({ status: 'refused', detail: expect.stringMatching(/^423 /) });
    expect((await api.call('u-agent', 'GET', `/v1/records/Deals/${created.body.id}`)).body.fields.amount).toBe(900);
  });

  it('30 concurrent transition requests on one record: exactly one succeeds, the rest get 409 or 412', async () => {
    const created = await api.call('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: 'Race', contactId: CONTACT } } });
    await waitFor(() => outcomes.get(created.body.id), 'the automation to leave the record alone');
    const { version } = (await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${created.body.id}`)).body;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.call('u-agent', 'POST', `/v1/records/TravelApplications/${created.body.id}/transitions/requirements-checked`, { body: {}, ...(i % 2 === 0 ? { headers: { 'if-match': `"${version}"` } } : {}) }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 412)).toBe(true);
    const history = (await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${created.body.id}/history`)).body.items;
    expect(history.filter((h: { event: string }) => h.event === 'blueprint.transitioned')).toHaveLength(1);
    expect((await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${created.body.id}`)).body).toMatchObject({ version: version + 1, fields: { stage: 'Travel Plan' } });
  });
});
