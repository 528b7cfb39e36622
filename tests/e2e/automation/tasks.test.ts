import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => api?.close());

const task = async (fields: Record<string, unknown>, as = 'u-admin') => {
  const res = await api.call<{ id: string; version: number }>(as, 'POST', '/v1/records/Tasks', { body: { fields: { status: 'Open', ...fields } } });
  expect(res.status).toBe(201);
  return res.body;
};
const myTasks = async (as: string, query = 'assignee=me') => api.call<{ items: Array<{ id: string; subject: string; dueDate?: string; overdue: boolean }>; nextCursor?: string }>(as, 'GET', `/v1/tasks?${query}`);

describe('GET /v1/tasks (open tasks, due first, from the index the records core writes with each Task)', () => {
  it('lists only the open tasks of the assignee, due first and undated last, paged; done, reassigned and deleted tasks leave the list', async () => {
    const later = await task({ subject: 'later', assigneeId: 'u-agent', dueDate: '2030-03-01' });
    const undated = await task({ subject: 'undated', assigneeId: 'u-agent' });
    const overdue = await task({ subject: 'overdue', assigneeId: 'u-agent', dueDate: '2020-01-01' });
    const soon = await task({ subject: 'soon', assigneeId: 'u-agent', dueDate: '2030-01-01' });
    await task({ subject: 'done already', assigneeId: 'u-agent', status: 'Done' });
    await task({ subject: 'someone else', assigneeId: 'u-manager' });

    const all = await myTasks('u-agent');
    expect(all.status).toBe(200);
    expect(all.body.items.map((t) => t.subject)).toEqual(['overdue', 'soon', 'later', 'undated']);
    expect(all.body.items[0]).toMatchObject({ id: overdue.id, overdue: true, status: 'Open', assigneeId: 'u-agent', dueDate: '2020-01-01' });
    expect(all.body.items[1]?.overdue).toBe(false);

    const first = await myTasks('u-agent', 'assignee=me&limit=3');
    expect(first.body.items).toHaveLength(3);
    const second = await myTasks('u-agent', `assignee=me&limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(second.body.items.map((t) => t.id)).toEqual([undated.id]);

    expect((await api.call('u-admin', 'PATCH', `/v1/records/Tasks/${soon.id}`, { body: { fields: { status: 'Done' } } })).status).toBe(200);
    expect((await api.call('u-admin', 'PATCH', `/v1/records/Tasks/${later.id}`, { body: { fields: { assigneeId: 'u-manager', dueDate: '2030-02-01' } } })).status).toBe(200);
    expect((await api.call('u-admin', 'DELETE', `/v1/records/Tasks/${overdue.id}`)).status).toBe(204);
    expect((await myTasks('u-agent')).body.items.map((t) => t.subject)).toEqual(['undated']);
    const manager = await myTasks('u-manager');
    expect(manager.body.items.map((t) => [t.subject, t.dueDate])).toEqual([['later', '2030-02-01'], ['someone else', undefined]]);
  });

  it("a manager and an org admin may list a report's tasks; nobody else may (403); bad queries are 400", async () => {
    await task({ subject: 'for the agent', assigneeId: 'u-agent' });
    expect((await myTasks('u-manager', 'assignee=u-agent')).status).toBe(200);
    expect((await myTasks('u-admin', 'assignee=u-agent')).status).toBe(200);
    const refused = await myTasks('u-agent', 'assignee=u-manager');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await myTasks('u-ops', 'assignee=u-agent')).status).toBe(403);
    expect((await myTasks('u-agent', 'assignee=bad%20id')).status).toBe(400);
    expect((await myTasks('u-agent', 'limit=0')).status).toBe(400);
    expect((await myTasks('u-agent', 'cursor=forged')).status).toBe(400);
    expect((await myTasks('u-agent', 'unknown=1')).status).toBe(400);
    expect((await api.call(null, 'GET', '/v1/tasks')).status).toBe(401);
  });
});
