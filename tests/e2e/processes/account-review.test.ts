import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSentMail } from '../../../infra/local/ses-local.js';
import type { E2eApi } from '../../support/e2e.js';
import { startE2eWithEvents, waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

/** The seeded "New account review" over HTTP: locked for all but the reviewer until decided; rejections reach the creator. */
describe('New account review (e2e)', () => {
  let api: E2eApi;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ api, stop } = await startE2eWithEvents());
  });
  afterAll(() => stop?.());

  const reviews = async (user: string) => (await api.call(user, 'GET', '/v1/reviews?status=pending&assignee=me')).body.items as Array<{ id: string; recordId: string; fields: Record<string, { value: unknown }> }>;

  it('an account created by u-agent is locked for review by u-manager on name, phone and website', async () => {
    const created = await api.call('u-agent', 'POST', '/v1/records/Accounts', { body: { fields: { name: 'Fuji Travel Ltd', phone: '03-9999-0000', website: 'fuji-travel' } } });
    expect(created.status).toBe(201);
    expect(created.body.lock).toMatchObject({ reason: 'review', reviewId: expect.any(String) });
    const [review] = (await reviews('u-manager')).filter((r) => r.recordId === created.body.id);
    expect(review?.fields).toEqual({ name: { value: 'Fuji Travel Ltd' }, phone: { value: '03-9999-0000' }, website: { value: 'fuji-travel' } });
    const id = created.body.id as string;

    // Locked for everyone but the reviewer: the creator, an admin, a delete.
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Accounts/${id}`, { body: { fields: { website: 'https://fuji.example' } } })).status).toBe(423);
    expect((await api.call('u-admin', 'PATCH', `/v1/records/Accounts/${id}`, { body: { fields: { industry: 'Travel' } } })).status).toBe(423);
    expect((await api.call('u-agent', 'DELETE', `/v1/records/Accounts/${id}`)).status).toBe(423);
    expect((await api.call('u-manager', 'PATCH', `/v1/records/Accounts/${id}`, { body: { fields: { industry: 'Travel' } } })).status).toBe(200);

    // Every field must be decided; a rejection needs a reason; only the reviewer (or an admin) decides.
    expect((await api.call('u-agent', 'POST', `/v1/reviews/${review?.id}/decision`, { body: { fields: { name: { accept: true }, phone: { accept: true }, website: { accept: true } } } })).status).toBe(403);
    const partial = await api.call('u-manager', 'POST', `/v1/reviews/${review?.id}/decision`, { body: { fields: { name: { accept: true }, website: { accept: false } } } });
    expect(partial.status).toBe(422);
    expect(partial.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fields.phone', 'fields.website.reason']);

    const reason = 'Not a URL: use https://…';
    const decided = await api.call('u-manager', 'POST', `/v1/reviews/${review?.id}/decision`, { body: { fields: { name: { accept: true }, phone: { accept: true }, website: { accept: false, reason } } } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'rejected', fields: { website: { accept: false, reason } }, log: [expect.objectContaining({ action: 'requested' }), expect.objectContaining({ action: 'decided', by: 'u-manager' })] });
    expect((await api.call('u-agent', 'GET', `/v1/records/Accounts/${id}`)).body.lock).toBeUndefined();
    expect((await api.call('u-manager', 'POST', `/v1/reviews/${review?.id}/decision`, { body: { fields: { name: { accept: true }, phone: { accept: true }, website: { accept: true } } } })).status).toBe(409);

    const note = await waitFor(async () => {
      const items = (await api.call('u-agent', 'GET', '/v1/notifications')).body.items as Array<{ kind: string; body: string; subject: { id: string } }>;
      return items.find((n) => n.kind === 'review.decided' && n.subject.id === review?.id);
    }, 'the review notification');
    expect(note.body).toContain(`website: ${reason}`);
    await waitFor(async () => (await readSentMail(sesEndpoint())).find((m) => m.destination.to.includes('u-agent@keiro.example') && m.body.text?.includes(reason)), 'the review email');
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Accounts/${id}`, { body: { fields: { website: 'https://fuji.example' } } })).status).toBe(200);
    const history = (await api.call('u-agent', 'GET', `/v1/records/Accounts/${id}/history`)).body.items.map((h: { event: string }) => h.event);
    expect(history).toEqual(expect.arrayContaining(['review.requested', 'review.decided']));
  });
});
