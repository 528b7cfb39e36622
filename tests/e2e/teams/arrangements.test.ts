import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStatusChanged } from '../../../functions/events/notify-requester.js';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import type { E2eApi } from '../../support/e2e.js';
import { startE2eWithEvents, waitFor, type LocalEvents } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

/**
 * The scenario's Operations team end to end, over HTTP against the local cloud, with the real outbox
 * path: DynamoDB stream → poller → router → notify-requester → SES local.
 */
describe('Operations "Arrangements": a requester asks, the team handles, the requester hears back', () => {
  let api: E2eApi;
  let events: LocalEvents;
  const token = Math.random().toString(36).slice(2, 10);
  const title = `Flights for the Sato family ${token}`;
  let requestId = '';

  const mailFor = async (subjectPart: string) => (await readSentMail(sesEndpoint())).filter((m) => m.destination.to.includes('u-requester@keiro.example') && m.subject.includes(subjectPart));
  const statusEvents = (to: string) => events.seen.filter((e) => e['detail-type'] === 'request.status-changed' && (e.detail.data as { requestId: string; status: string }).requestId === requestId && (e.detail.data as { status: string }).status === to);

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ api, events, stop } = await startE2eWithEvents());
  });
  afterAll(async () => stop?.());

  it('u-requester reads the request form and submits; the rules assign it to the team', async () => {
    const form = await api.call('u-requester', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/request-form`);
    expect(form.status).toBe(200);
    expect(form.body.fields.map((f: { name: string }) => f.name)).toContain('title');
    expect(form.body.fields.map((f: { name: string }) => f.name)).not.toContain('requestStatus');

    const bad = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { kind: 'Spaceship', requestStatus: 'Done' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fields.kind', 'fields.requestStatus', 'fields.title']);

    const res = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, {
      body: { fields: { title, kind: 'Flight', destination: 'Okinawa', travellers: 4, budget: 180000, neededBy: '2027-03-01' } },
      headers: { 'idempotency-key': `submit-${token}` },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ module: ARRANGEMENTS_MODULE, status: 'Submitted', requesterId: 'u-requester', assigneeId: 'u-ops', version: 1 });
    expect(res.body.fields).toEqual({ title, kind: 'Flight', destination: 'Okinawa', travellers: 4, budget: 180000, neededBy: '2027-03-01' });
    requestId = res.body.id;

    const replay = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, {
      body: { fields: { title, kind: 'Flight', destination: 'Okinawa', travellers: 4, budget: 180000, neededBy: '2027-03-01' } },
      headers: { 'idempotency-key': `submit-${token}` },
    });
    expect(replay.body.id).toBe(requestId);
  });

  it('u-requester cannot see the module or its records (404, as if absent), but follows the request in My Requests', async () => {
    for (const path of [`/v1/records/${ARRANGEMENTS_MODULE}`, `/v1/records/${ARRANGEMENTS_MODULE}/${requestId}`, `/v1/modules/${ARRANGEMENTS_MODULE}`, `/v1/records/${ARRANGEMENTS_MODULE}/kanban?groupBy=requestStatus`, `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, `/v1/team-spaces/${OPERATIONS_TEAM_ID}`]) {
      expect((await api.call('u-requester', 'GET', path)).status, path).toBe(404);
    }
    const mine = await api.call('u-requester', 'GET', '/v1/my-requests');
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(requestId);
    const one = await api.call('u-requester', 'GET', `/v1/my-requests/${requestId}`);
    expect(one.status).toBe(200);
    expect(one.body.history.map((h: { event: string }) => h.event)).toEqual(['request.submitted']);
    expect((await api.call('u-agent', 'GET', `/v1/my-requests/${requestId}`)).status).toBe(404);
  });

  it("u-ops's team sees it in its queue and on the kanban by request status", async () => {
    const queue = await api.call('u-ops', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests?status=Submitted&assignee=me`);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(requestId);
    const kanban = await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/kanban?groupBy=requestStatus&limit=5`);
    expect(kanban.status).toBe(200);
    const submitted = kanban.body.columns.find((c: { value: string }) => c.value === 'Submitted');
    expect(submitted.count).toBe(1);
    expect(submitted.records.map((r: { id: string }) => r.id)).toEqual([requestId]);
    expect(kanban.body.columns.map((c: { value: string }) => c.value)).toEqual(['Submitted', 'In Progress', 'Done', 'Rejected']);
  });

  it('u-ops moves it to In Progress (If-Match); u-requester gets the notification in-app and by email', async () => {
    const moved = await api.call('u-ops', 'PATCH', `/v1/requests/${requestId}`, { body: { status: 'In Progress', comment: 'Booking the flights now' }, headers: { 'if-match': '"1"' } });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).toBe('"2"');
    expect(moved.body.status).toBe('In Progress');
    const stale = await api.call('u-ops', 'PATCH', `/v1/requests/${requestId}`, { body: { status: 'Done' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);

    const mails = await waitFor(async () => {
      const found = await mailFor(title);
      return found.length > 0 && found;
    }, 'the status email in SES local');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`Your request "${title}" is now In Progress`);
    expect(mails[0]?.from).toBe('"Keiro Travel" <no-reply@keiro.example>');
    expect(mails[0]?.body.text).toContain('Booking the flights now');

    const notifications = await api.call('u-requester', 'GET', '/v1/notifications');
    const mine = notifications.body.items.filter((n: { subject: { id: string } }) => n.subject.id === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'request.status-changed', read: false, title: `Your request "${title}" is now In Progress` });

    const one = await api.call('u-requester', 'GET', `/v1/my-requests/${requestId}`);
    expect(one.body.status).toBe('In Progress');
    expect(one.body.history.at(-1)).toMatchObject({ event: 'request.status-changed', status: 'In Progress', previousStatus: 'Submitted', comment: 'Booking the flights now', actor: 'u-ops' });
  });

  it('a redelivered event notifies nobody twice: not through the router, not by calling the consumer again', async () => {
    const event = (await waitFor(() => statusEvents('In Progress')[0], 'the status event on the bus')) as BusEvent;
    await events.router.drain();
    await events.router.publish(event);
    await events.router.publish({ ...event, id: 'a-new-bus-id' });
    await handleStatusChanged(event, api.deps); // bypasses the consumer's marker: the mail marker still holds
    expect(await mailFor(title)).toHaveLength(1);
    const notifications = await api.call('u-requester', 'GET', '/v1/notifications');
    expect(notifications.body.items.filter((n: { subject: { id: string } }) => n.subject.id === requestId)).toHaveLength(1);
  });

  it('Done sends a second email; a comment alone sends none', async () => {
    expect((await api.call('u-ops', 'PATCH', `/v1/requests/${requestId}`, { body: { comment: 'Seats 12A–12D' } })).status).toBe(200);
    expect((await api.call('u-ops', 'PATCH', `/v1/requests/${requestId}`, { body: { status: 'Done' } })).status).toBe(200);
    await waitFor(() => statusEvents('Done').length > 0, 'the Done event');
    await events.router.drain();
    const subjects = (await mailFor(title)).map((m) => m.subject);
    expect(subjects.sort()).toEqual([`Your request "${title}" is now Done`, `Your request "${title}" is now In Progress`]);
    const one = await api.call('u-requester', 'GET', `/v1/my-requests/${requestId}`);
    expect(one.body.history.map((h: { event: string }) => h.event)).toEqual(['request.submitted', 'request.status-changed', 'request.commented', 'request.status-changed']);
  });

  it('chart data: budget summed per arrangement kind, from the counters', async () => {
    const chart = await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/aggregate?groupBy=kind&metric=sum:budget`);
    expect(chart.status).toBe(200);
    expect(chart.body.groups.find((g: { value: string }) => g.value === 'Flight')).toEqual({ value: 'Flight', count: 1, result: 180000 });
    const byStatus = await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/aggregate?groupBy=requestStatus`);
    expect(byStatus.body.groups.find((g: { value: string }) => g.value === 'Done')).toMatchObject({ count: 1 });
    expect((await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/aggregate?groupBy=title`)).status).toBe(400);
    expect((await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/aggregate?groupBy=kind&metric=avg:title`)).status).toBe(400);
  });

  it('the org admin revokes u-ops as team admin: from the next request on, u-ops gets 403 on managing the module', async () => {
    const moduleDef = (await api.call('u-ops', 'GET', `/v1/modules/${ARRANGEMENTS_MODULE}`)).body;
    const fields = moduleDef.fields.filter((f: { name: string }) => !['requestStatus', 'requesterId', 'assigneeId'].includes(f.name));
    const withNote = [...fields, { name: 'opsNote', label: 'Ops note', type: 'textarea', required: false }];
    const managed = await api.call('u-ops', 'PUT', `/v1/modules/${ARRANGEMENTS_MODULE}`, { body: { fields: withNote } });
    expect(managed.status).toBe(200);
    expect(managed.body.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['opsNote', 'requestStatus', 'requesterId', 'assigneeId']));

    expect((await api.call('u-ops', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-ops`)).status).toBe(403);
    const revoked = await api.call('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-ops`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ userId: 'u-ops', role: 'member', adminRevoked: { by: 'u-admin' } });

    expect((await api.call('u-ops', 'PUT', `/v1/modules/${ARRANGEMENTS_MODULE}`, { body: { fields } })).status).toBe(403);
    expect((await api.call('u-ops', 'PUT', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requesters/u-manager`)).status).toBe(403);
    expect((await api.call('u-ops', 'PUT', `/v1/team-modules/${ARRANGEMENTS_MODULE}/assignment-rules`, { body: {} })).status).toBe(403);
    expect((await api.call('u-ops', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-ops`, { body: { role: 'admin' } })).status).toBe(403);
    // Still a member: works the team's records.
    expect((await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}`)).status).toBe(200);

    const history = await api.call('u-admin', 'GET', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/history`);
    expect(history.body.items[0]).toMatchObject({ event: 'team.admin-revoked', actor: 'u-admin', changes: expect.arrayContaining([{ field: 'role', old: 'admin', new: 'member' }]) });
    expect(history.body.items.map((h: { event: string }) => h.event)).toEqual(expect.arrayContaining(['team.created', 'team.member-added', 'team.requester-granted']));

    // Only the org admin gives it back.
    expect((await api.call('u-admin', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-ops`, { body: { role: 'admin' } })).body).toMatchObject({ role: 'admin' });
    expect((await api.call('u-ops', 'PUT', `/v1/modules/${ARRANGEMENTS_MODULE}`, { body: { fields } })).status).toBe(200);
  });
});
