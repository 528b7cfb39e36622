import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSentMail } from '../../../infra/local/ses-local.js';
import type { E2eApi } from '../../support/e2e.js';
import { startE2eWithEvents, waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

const CONTACT = '01JDEMOCON0000000000000001';

/** The seeded "Travel application" blueprint over HTTP: who may do what, mandatory fields, enforcement, history. */
describe('Travel application blueprint (e2e)', () => {
  let api: E2eApi;
  let stop: () => Promise<void>;
  let id: string;
  const transitions = async (user: string) => (await api.call(user, 'GET', `/v1/records/TravelApplications/${id}/transitions`)).body.items.map((t: { id: string }) => t.id);
  const perform = (user: string, transition: string, body: unknown = {}, headers?: Record<string, string>) =>
    api.call(user, 'POST', `/v1/records/TravelApplications/${id}/transitions/${transition}`, { body, ...(headers ? { headers } : {}) });

  beforeAll(async () => {
    ({ api, stop } = await startE2eWithEvents());
    const created = await api.call('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: 'Ito — Kyoto', contactId: CONTACT } } });
    expect(created.status).toBe(201);
    id = created.body.id;
  });
  afterAll(() => stop?.());

  it('a new application starts in Requirements Check; a create naming another stage is refused (422)', async () => {
    const got = await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${id}`);
    expect(got.body.fields.stage).toBe('Requirements Check');
    const skip = await api.call('u-agent', 'POST', '/v1/records/TravelApplications', { body: { fields: { name: 'Skipper', contactId: CONTACT, stage: 'Completed' } } });
    expect(skip.status).toBe(422);
    expect(skip.body.errors).toEqual([expect.objectContaining({ path: 'fields.stage' })]);
  });

  it('offers each step only to the right people', async () => {
    expect(await transitions('u-agent')).toEqual(['requirements-checked']);
    expect(await transitions('u-manager')).toEqual([]);
    expect((await perform('u-manager', 'requirements-checked')).status).toBe(403);
  });

  it('a PATCH of the governed field is 422, whatever else it carries; other fields still patch', async () => {
    const patch = await api.call('u-agent', 'PATCH', `/v1/records/TravelApplications/${id}`, { body: { fields: { stage: 'Completed', travellers: 2 } } });
    expect(patch.status).toBe(422);
    expect(patch.headers.get('content-type')).toContain('application/problem+json');
    expect(patch.body.errors).toEqual([expect.objectContaining({ path: 'fields.stage' })]);
    expect((await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${id}`)).body.fields.travellers).toBeUndefined();
    expect((await api.call('u-agent', 'PATCH', `/v1/records/TravelApplications/${id}`, { body: { fields: { travellers: 2 } } })).status).toBe(200);
  });

  it('runs Requirements Check → Travel Plan, then enforces the Travel Plan fields (422 naming each)', async () => {
    const first = await perform('u-agent', 'requirements-checked', { note: 'Budget and dates confirmed' });
    expect(first.status).toBe(200);
    expect(first.body.fields.stage).toBe('Travel Plan');
    const [offer] = (await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${id}/transitions`)).body.items;
    expect(offer).toMatchObject({ id: 'travel-plan-ready', from: 'Travel Plan', to: 'Manager Approval' });
    expect(offer.fields.map((f: { name: string; required: boolean; type: string }) => [f.name, f.type, f.required])).toEqual([
      ['destination', 'text', true],
      ['departureDate', 'date', true],
      ['returnDate', 'date', true],
    ]);
    const missing = await perform('u-agent', 'travel-plan-ready', {});
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fields.departureDate', 'fields.destination', 'fields.returnDate']);
    const invalid = await perform('u-agent', 'travel-plan-ready', { fields: { destination: 'Kyoto', departureDate: '2027-05-10', returnDate: '2027-05-01', stage: 'Completed', budget: 3 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fields.budget', 'fields.returnDate', 'fields.stage']);
    const notADate = await perform('u-agent', 'travel-plan-ready', { fields: { destination: 'Kyoto', departureDate: 'soon', returnDate: '2027-05-01' } });
    expect(notADate.status).toBe(422);
    expect(notADate.body.errors).toEqual([expect.objectContaining({ path: 'fields.departureDate' })]);
    expect((await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${id}`)).body.fields.stage).toBe('Travel Plan');
    const ok = await perform('u-agent', 'travel-plan-ready', { fields: { destination: 'Kyoto', departureDate: '2027-05-01', returnDate: '2027-05-05' } });
    expect(ok.status).toBe(200);
    expect(ok.body.fields).toMatchObject({ stage: 'Manager Approval', destination: 'Kyoto', departureDate: '2027-05-01', returnDate: '2027-05-05' });
  });

  it('the agent cannot leave Manager Approval; their manager can; a stale step is a 409', async () => {
    expect(await transitions('u-agent')).toEqual([]);
    expect((await perform('u-agent', 'manager-approved')).status).toBe(403);
    expect(await transitions('u-manager')).toEqual(['manager-approved', 'manager-sent-back']);
    const noNote = await perform('u-manager', 'manager-sent-back', {});
    expect(noNote.status).toBe(422);
    expect(noNote.body.errors).toEqual([expect.objectContaining({ path: 'note' })]);
    const approved = await perform('u-manager', 'manager-approved');
    expect(approved.status).toBe(200);
    expect(approved.body.fields.stage).toBe('Arrangement');
    expect((await perform('u-manager', 'manager-approved')).status).toBe(409);
    expect((await perform('u-agent', 'no-such-step')).status).toBe(404);
  });

  it('after-actions run from the events: tasks for the right people, emails in SES local, named in history', async () => {
    const tasks = async (user: string) => (await api.call(user, 'GET', '/v1/tasks?assignee=me')).body.items as Array<{ subject: string; relatedId?: string; dueDate?: string }>;
    const managerTask = await waitFor(async () => (await tasks('u-manager')).find((t) => t.subject === 'Approve the travel plan for Ito — Kyoto'), "the manager's task");
    expect(managerTask.relatedId).toBe(id);
    await waitFor(async () => (await tasks('u-agent')).find((t) => t.subject === 'Arrange tickets and lodging for Ito — Kyoto'), "the agent's task after approval");
    await waitFor(async () => (await tasks('u-agent')).find((t) => t.subject === 'Draft the travel plan for Ito — Kyoto'), "the agent's first task");
    const mail = await waitFor(async () => (await readSentMail(sesEndpoint())).find((m) => m.destination.to.includes('u-manager@keiro.example') && m.subject === 'Travel plan to approve: Ito — Kyoto'), 'the email to the manager');
    expect(mail.body.text).toContain('Kyoto, 2027-05-01 to 2027-05-05');
    await waitFor(async () => (await readSentMail(sesEndpoint())).find((m) => m.destination.to.includes('u-agent@keiro.example') && m.subject === 'Travel plan approved: Ito — Kyoto'), 'the email to the owner');
  });

  it('history names each transition and who performed it', async () => {
    const history = await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${id}/history`);
    const steps = history.body.items.filter((h: { event: string }) => h.event === 'blueprint.transitioned');
    expect(steps.map((h: { actor: string; summary: string }) => [h.actor, h.summary])).toEqual([
      ['u-manager', expect.stringContaining('"Manager approved"')],
      ['u-agent', expect.stringContaining('"Travel plan ready"')],
      ['u-agent', expect.stringContaining('"Requirements checked"')],
    ]);
    expect(steps[0].changes).toEqual([{ field: 'stage', old: 'Manager Approval', new: 'Arrangement' }]);
  });

  it('an org admin may override the stage only with a reason, and the history keeps who and why', async () => {
    const bare = await api.call('u-admin', 'PATCH', `/v1/records/TravelApplications/${id}`, { body: { fields: { stage: 'Completed' } } });
    expect(bare.status).toBe(422);
    const reason = 'Customer cancelled; closing the file';
    const override = await api.call('u-admin', 'PATCH', `/v1/records/TravelApplications/${id}`, { body: { fields: { stage: 'Completed' } }, headers: { 'x-change-reason': reason } });
    expect(override.status).toBe(200);
    const [latest] = (await api.call('u-admin', 'GET', `/v1/records/TravelApplications/${id}/history`)).body.items;
    expect(latest).toMatchObject({ actor: 'u-admin', reason, changes: [{ field: 'stage', old: 'Arrangement', new: 'Completed' }] });
  });
});
