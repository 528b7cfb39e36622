import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSentMail } from '../../../infra/local/ses-local.js';
import type { E2eApi } from '../../support/e2e.js';
import { startE2eWithEvents, waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';

/** The seeded "Discount over 10%" approval process over HTTP, with the local event path (notifications, SES local). */
describe('Discount over 10% (e2e)', () => {
  let api: E2eApi;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ api, stop } = await startE2eWithEvents());
  });
  afterAll(() => stop?.());

  const createDeal = async (name: string, discountPercent: number) => {
    const res = await api.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name, amount: 500000, discountPercent } } });
    expect(res.status).toBe(201);
    return res.body;
  };
  const inbox = async (user: string) => (await api.call(user, 'GET', '/v1/approvals?status=pending&assignee=me')).body.items as Array<{ id: string; recordId: string }>;

  it('a deal at 10 % is not routed; an edit to 15 % goes to u-manager and locks the deal (423 for u-agent)', async () => {
    const deal = await createDeal('Sakura incentive trip', 10);
    expect(deal.lock).toBeUndefined();
    const edit = await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { discountPercent: 15 } } });
    expect(edit.status).toBe(200);
    expect(edit.body.lock).toMatchObject({ reason: 'approval', approvalId: expect.any(String) });
    const pending = (await inbox('u-manager')).filter((a) => a.recordId === deal.id);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ status: 'pending', approverIds: ['u-manager'], submittedBy: 'u-agent', level: 1 });
    expect(await inbox('u-agent')).toEqual([]);

    const locked = await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { amount: 1 } } });
    expect(locked.status).toBe(423);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.call('u-agent', 'DELETE', `/v1/records/Deals/${deal.id}`)).status).toBe(423);
    // The process whitelists closingDate: it may still change.
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { closingDate: '2027-01-31' } } })).status).toBe(200);
    expect((await api.call('u-agent', 'POST', `/v1/approvals/${pending[0]?.id}/approve`, { body: {} })).status).toBe(403);

    const approved = await api.call('u-manager', 'POST', `/v1/approvals/${pending[0]?.id}/approve`, { body: { comment: 'Fine for this customer' } });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const after = await api.call('u-agent', 'GET', `/v1/records/Deals/${deal.id}`);
    expect(after.body.lock).toBeUndefined();
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { amount: 480000 } } })).status).toBe(200);
    expect((await api.call('u-manager', 'POST', `/v1/approvals/${pending[0]?.id}/approve`, { body: {} })).status).toBe(409);
    const history = (await api.call('u-agent', 'GET', `/v1/records/Deals/${deal.id}/history`)).body.items.map((h: { event: string }) => h.event);
    expect(history).toEqual(expect.arrayContaining(['approval.requested', 'approval.decided']));
    const notes = await waitFor(async () => {
      const items = (await api.call('u-agent', 'GET', '/v1/notifications')).body.items as Array<{ kind: string; subject: { id: string } }>;
      return items.some((n) => n.kind === 'approval.decided' && n.subject.id === pending[0]?.id) && items;
    }, 'the approval notification');
    expect(notes.length).toBeGreaterThan(0);
  });

  it('another deal created at 20 % is rejected: unlocked, and u-agent is told why (notification and email)', async () => {
    const deal = await createDeal('Watanabe group tour', 20);
    expect(deal.lock).toMatchObject({ reason: 'approval' });
    const approvalId = deal.lock.approvalId as string;
    const noReason = await api.call('u-manager', 'POST', `/v1/approvals/${approvalId}/reject`, { body: {} });
    expect(noReason.status).toBe(422);
    const reason = 'Margin too thin: keep it at 10 %';
    const rejected = await api.call('u-manager', 'POST', `/v1/approvals/${approvalId}/reject`, { body: { comment: reason } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', history: expect.arrayContaining([expect.objectContaining({ action: 'rejected', by: 'u-manager', comment: reason })]) });
    expect((await api.call('u-agent', 'GET', `/v1/records/Deals/${deal.id}`)).body.lock).toBeUndefined();
    const note = await waitFor(async () => {
      const items = (await api.call('u-agent', 'GET', '/v1/notifications')).body.items as Array<{ kind: string; title: string; body: string; subject: { id: string } }>;
      return items.find((n) => n.kind === 'approval.decided' && n.subject.id === approvalId);
    }, 'the rejection notification');
    expect(note.body).toContain(reason);
    const mail = await waitFor(async () => (await readSentMail(sesEndpoint())).find((m) => m.destination.to.includes('u-agent@keiro.example') && m.body.text?.includes(reason)), 'the rejection email');
    expect(mail.subject).toContain('rejected');

    // Resubmission after the rejection, with a lower discount still over 10 %; the submitter recalls it.
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { body: { fields: { discountPercent: 10 } } })).status).toBe(200);
    expect((await api.call('u-agent', 'POST', `/v1/records/Deals/${deal.id}/submit-for-approval`, { body: {} })).status).toBe(422);
  });

  it('delegation, recall, an org admin acting for the approver, and resubmission', async () => {
    const deal = await createDeal('Delegated deal', 12);
    const id = deal.lock.approvalId as string;
    expect((await api.call('u-manager', 'POST', `/v1/approvals/${id}/delegate`, { body: {} })).status).toBe(400);
    expect((await api.call('u-manager', 'POST', `/v1/approvals/${id}/delegate`, { body: { toUserId: 'u-nobody' } })).status).toBe(400);
    expect((await api.call('u-manager', 'POST', `/v1/approvals/${id}/delegate`, { body: { toUserId: 'u-agent' } })).status).toBe(422);
    const delegated = await api.call('u-manager', 'POST', `/v1/approvals/${id}/delegate`, { body: { toUserId: 'u-ops' } });
    expect(delegated.body.approverIds).toEqual(['u-ops']);
    expect((await inbox('u-manager')).some((a) => a.id === id)).toBe(false);
    expect((await inbox('u-ops')).some((a) => a.id === id)).toBe(true);
    expect((await api.call('u-manager', 'POST', `/v1/approvals/${id}/approve`, { body: {} })).status).toBe(403);
    expect((await api.call('u-ops', 'POST', `/v1/approvals/${id}/recall`, { body: {} })).status).toBe(403);
    const recalled = await api.call('u-agent', 'POST', `/v1/approvals/${id}/recall`, { body: { comment: 'Wrong customer' } });
    expect(recalled.body.status).toBe('recalled');
    expect((await api.call('u-agent', 'GET', `/v1/records/Deals/${deal.id}`)).body.lock).toBeUndefined();
    const again = await api.call('u-agent', 'POST', `/v1/records/Deals/${deal.id}/submit-for-approval`, { body: {} });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'pending', approverIds: ['u-manager'] });
    expect((await api.call('u-agent', 'POST', `/v1/records/Deals/${deal.id}/submit-for-approval`, { body: {} })).status).toBe(423);
    const byAdmin = await api.call('u-admin', 'POST', `/v1/approvals/${again.body.id}/approve`, { body: {} });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.history.at(-1)).toMatchObject({ action: 'approved', by: 'u-admin', onBehalfOf: 'u-manager' });
    const runs = await api.call('u-agent', 'GET', `/v1/records/Deals/${deal.id}/approvals`);
    expect(runs.body.items.map((a: { status: string }) => a.status)).toEqual(['recalled', 'approved']);
  });

  it('an admin does not trigger it ("by a member"), and another member cannot read someone else\'s inbox', async () => {
    const res = await api.call('u-admin', 'POST', '/v1/records/Deals', { body: { fields: { name: 'Admin deal', discountPercent: 30 } } });
    expect(res.body.lock).toBeUndefined();
    expect((await api.call('u-agent', 'GET', '/v1/approvals?status=pending&assignee=u-manager')).status).toBe(403);
  });
});
