import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { flakyConsumer, recordingConsumer } from '../../fixtures/events/consumers.js';
import { fixtureSubscriptions, FLAKY, RECORDER } from '../../fixtures/events/subscriptions.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

const LEAD = '01JDEMOLEA0000000000000001';

describe('change events and dead letters through the local API', () => {
  let api: E2eApi;
  let events: LocalEvents;
  const recorder = recordingConsumer(RECORDER);
  const flaky = flakyConsumer(FLAKY);
  let deadLetterId: string;

  beforeAll(async () => {
    api = await startE2eApi();
    events = startLocalEvents(api.deps, { subscriptions: fixtureSubscriptions, consumers: [recorder, flaky], attempts: 3 });
    api.deps.deadLetterReplayer = events.router;
  });
  afterAll(async () => {
    await events.stop();
    await api.close();
  });

  const leadUpdate = (e: BusEvent) => e['detail-type'] === 'record.updated' && (e.detail.data as { recordId?: string }).recordId === LEAD;

  it('PATCH of a record puts record.updated with the changed fields on the local bus; a failing consumer is retried, then dead-lettered', async () => {
    const patched = await api.call('u-agent', 'PATCH', `/v1/records/Leads/${LEAD}`, { body: { fields: { leadStatus: 'Qualified' } } });
    expect(patched.status).toBe(200);

    const event = await waitFor(() => events.seen.find(leadUpdate), 'record.updated on the local bus');
    expect((event.detail.data as { changes: unknown[] }).changes).toEqual([{ field: 'leadStatus', old: 'New', new: 'Qualified' }]);
    await waitFor(() => recorder.handled.some(leadUpdate), 'the recording consumer');

    const list = await waitFor(async () => {
      const res = await api.call('u-admin', 'GET', '/v1/admin/dead-letters');
      return res.body.items?.length > 0 ? res : undefined;
    }, 'a dead letter');
    expect(flaky.calls).toBe(3);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      status: 'pending', subscriptionId: 'fixture-lead-updates', target: { kind: 'consumer', consumer: FLAKY }, eventName: 'record.updated',
      eventId: event.detail.metadata.id, attempts: 3, error: { message: `${FLAKY} is down` }, origin: 'local-router',
    });
    deadLetterId = list.body.items[0].id;
  });

  it('only org admins may list, read or replay dead letters', async () => {
    for (const user of ['u-agent', 'u-manager', 'u-requester']) {
      expect((await api.call(user, 'GET', '/v1/admin/dead-letters')).status).toBe(403);
      expect((await api.call(user, 'GET', `/v1/admin/dead-letters/${deadLetterId}`)).status).toBe(403);
      expect((await api.call(user, 'POST', `/v1/admin/dead-letters/${deadLetterId}/replay`)).status).toBe(403);
    }
    expect((await api.call(null, 'GET', '/v1/admin/dead-letters')).status).toBe(401);
    expect(flaky.calls).toBe(3);
  });

  it('lists by status, reads one, and answers 400/404 for bad input', async () => {
    expect((await api.call('u-admin', 'GET', '/v1/admin/dead-letters?status=pending&limit=5')).body.items).toHaveLength(1);
    expect((await api.call('u-admin', 'GET', '/v1/admin/dead-letters?status=replayed')).body.items).toHaveLength(0);
    const bad = await api.call('u-admin', 'GET', '/v1/admin/dead-letters?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('status');
    const one = await api.call('u-admin', 'GET', `/v1/admin/dead-letters/${deadLetterId}`);
    expect(one.status).toBe(200);
    expect(one.body.event.detail.data.recordId).toBe(LEAD);
    expect((await api.call('u-admin', 'GET', '/v1/admin/dead-letters/NOPE')).status).toBe(404);
    expect((await api.call('u-admin', 'POST', '/v1/admin/dead-letters/NOPE/replay')).status).toBe(404);
  });

  it('a replay that fails again is marked failed; once the consumer works, a replay delivers to that target only', async () => {
    const again = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${deadLetterId}/replay`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'failed', replayCount: 1, lastReplayBy: 'u-admin', attempts: 6 });

    flaky.failing = false;
    const replayed = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${deadLetterId}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ status: 'replayed', replayCount: 2 });
    expect(flaky.handled.filter(leadUpdate)).toHaveLength(1);
    expect(recorder.handled.filter(leadUpdate)).toHaveLength(1);

    const twice = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${deadLetterId}/replay`);
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toContain('application/problem+json');
  });
});
