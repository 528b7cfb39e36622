import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { getApproval } from '../../../shared/db/approvals-repo.js';
import { listNotifications } from '../../../shared/db/notifications-repo.js';
import { approvalSlaWake } from '../../../functions/processes/wakes.js';
import { ProcessRaceLost } from '../../../shared/db/lost-race.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { racedDb } from '../../support/raced-db.js';

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

/** A deal whose discount needs the manager's approval, and the reminder timer of its first level. */
const pendingApproval = async (name: string) => {
  const deal = await api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name: `${name} ${now}`, discountPercent: 20 } } });
  expect(deal.status).toBe(201);
  const runs = await api.call<{ items: Array<{ id: string }> }>('u-agent', 'GET', `/v1/records/Deals/${deal.body.id}/approvals`);
  const approvalId = runs.body.items[0]?.id as string;
  const approval = await getApproval(api.deps, approvalId);
  expect(approval?.status).toBe('pending');
  const timer = { kind: 'approval-sla', key: `${approvalId}#1#remind`, wakeAt: new Date(now + 24 * HOUR).toISOString(), token: approval?.token as string };
  return { approvalId, timer };
};

const remindersOf = async (approvalId: string) => (await listNotifications(api.deps, 'u-manager', 100)).items.filter((n) => n.kind === 'approval.reminder' && n.subject?.id === approvalId);

/** `deps` whose first transaction runs `meanwhile` just before it is sent: another writer wins the race. */
const raced = (deps: AppDeps, meanwhile: () => Promise<unknown>): AppDeps['db'] => racedDb(deps, (command) => command instanceof TransactWriteCommand, { before: meanwhile });

describe('approval SLA wakes run again after a crash', () => {
  it('a reminder wake run twice, at different times, notifies each approver once', async () => {
    const { approvalId, timer } = await pendingApproval('SLA rerun');

    now += 24 * HOUR + 1_000;
    await approvalSlaWake(api.deps, timer);
    now += 5 * 60_000; // the runner recovers the execution a few minutes later and runs the wake again
    await approvalSlaWake(api.deps, timer);

    expect(await remindersOf(approvalId)).toHaveLength(1);
    expect((await getApproval(api.deps, approvalId))?.history.filter((h) => h.action === 'reminded')).toHaveLength(1);
  });
});

describe('a decision and a reminder at the same moment', () => {
  it('the approval decided between the wake’s read and its write: no reminder, no "reminded" entry; the wake run again ends quietly', async () => {
    const { approvalId, timer } = await pendingApproval('SLA race, decision first');
    now += 24 * HOUR + 1_000;
    const approve = () => api.call('u-manager', 'POST', `/v1/approvals/${approvalId}/approve`, { body: { comment: 'Fine' } }).then((res) => expect(res.status).toBe(200));
    await expect(approvalSlaWake({ ...api.deps, db: raced(api.deps, approve) }, timer)).rejects.toBeInstanceOf(ProcessRaceLost);
    await expect(approvalSlaWake(api.deps, timer)).resolves.toEqual({});
    const approval = await getApproval(api.deps, approvalId);
    expect(approval?.status).toBe('approved');
    expect(approval?.history.filter((h) => h.action === 'reminded')).toEqual([]);
    expect(await remindersOf(approvalId)).toEqual([]);
  });

  it('the reminder written between the approver’s read and write: the approve is applied again on it and answers 200', async () => {
    const { approvalId, timer } = await pendingApproval('SLA race, reminder first');
    now += 24 * HOUR + 1_000;
    const original = api.deps.db;
    api.deps.db = raced(api.deps, () => approvalSlaWake({ ...api.deps, db: original }, timer));
    try {
      const res = await api.call<{ status: string }>('u-manager', 'POST', `/v1/approvals/${approvalId}/approve`, { body: { comment: 'Fine' } });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('approved');
    } finally {
      api.deps.db = original;
    }
    const approval = await getApproval(api.deps, approvalId);
    expect(approval?.status).toBe('approved');
    expect(approval?.history.map((h) => h.action)).toEqual(expect.arrayContaining(['reminded', 'approved']));
    expect(await remindersOf(approvalId)).toHaveLength(1);
  });
});
