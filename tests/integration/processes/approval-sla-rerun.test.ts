import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getApproval } from '../../../shared/db/approvals-repo.js';
import { listNotifications } from '../../../shared/db/notifications-repo.js';
import { approvalSlaWake } from '../../../functions/processes/wakes.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

// A timer's wake can run twice: a crash after the handler's writes but before the execution is
// recorded as ended makes the recovering runner (or Step Functions' retry of the task) run it again,
// later. The reminder an approval's SLA sends must still be one notification.

const HOUR = 3_600_000;
let now = Date.parse('2026-06-01T09:00:00Z');
let api: E2eApi;

beforeAll(async () => {
  api = await startE2eApi({ deps: { clock: () => new Date(now) } });
});
afterAll(async () => {
  await api?.close();
});

describe('approval SLA wakes run again after a crash', () => {
  it('a reminder wake run twice, at different times, notifies each approver once', async () => {
    const deal = await api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: `SLA rerun ${now}`, discountPercent: 20 } } });
    expect(deal.status).toBe(201);
    const runs = await api.call<{ items: Array<{ id: string }> }>('u-agent', 'GET', `/v1/records/Deals/${deal.body.id}/approvals`);
    const approvalId = runs.body.items[0]?.id as string;
    const approval = await getApproval(api.deps, approvalId);
    expect(approval?.status).toBe('pending');
    const timer = { kind: 'approval-sla', key: `${approvalId}#1#remind`, wakeAt: new Date(now + 24 * HOUR).toISOString(), token: approval?.token as string };

    now += 24 * HOUR + 1_000;
    await approvalSlaWake(api.deps, timer);
    now += 5 * 60_000; // the runner recovers the execution a few minutes later and runs the wake again
    await approvalSlaWake(api.deps, timer);

    const reminders = (await listNotifications(api.deps, 'u-manager', 100)).items.filter((n) => n.kind === 'approval.reminder' && n.subject?.id === approvalId);
    expect(reminders).toHaveLength(1);
    expect((await getApproval(api.deps, approvalId))?.history.filter((h) => h.action === 'reminded')).toHaveLength(1);
  });
});
