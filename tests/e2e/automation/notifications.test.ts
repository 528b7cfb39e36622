import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putNotification } from '../../../shared/db/notifications-repo.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => api?.close());

const notify = async (userId: string, title: string) => {
  const eventId = api.deps.newId();
  await putNotification(api.deps, { userId, eventId, occurredAt: new Date().toISOString(), kind: 'test', title, body: 'b', subject: { type: 'record', id: 'D1', module: 'Deals' } });
  return eventId;
};
type Page = { items: Array<{ id: string; title: string; read: boolean }> };
const list = async (as: string) => (await api.call<Page>(as, 'GET', '/v1/notifications?limit=200')).body.items;

describe('notifications: read one, read all', () => {
  it('marks one read (idempotent), only the recipient can, then read-all marks the rest', async () => {
    const one = await notify('u-agent', 'one');
    const two = await notify('u-agent', 'two');
    const three = await notify('u-agent', 'three');
    const theirs = await notify('u-manager', 'not yours');

    const read = await api.call<{ id: string; read: boolean }>('u-agent', 'POST', `/v1/notifications/${one}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: one, read: true, title: 'one' });
    expect((await api.call('u-agent', 'POST', `/v1/notifications/${one}/read`)).body).toMatchObject({ read: true });
    expect((await api.call('u-agent', 'POST', `/v1/notifications/${theirs}/read`)).status).toBe(404);
    expect((await api.call('u-agent', 'POST', '/v1/notifications/nope/read')).status).toBe(404);
    expect((await api.call(null, 'POST', `/v1/notifications/${one}/read`)).status).toBe(401);
    expect((await list('u-agent')).filter((n) => n.read).map((n) => n.id)).toEqual([one]);

    const all = await api.call<{ marked: number; more: boolean }>('u-agent', 'POST', '/v1/notifications/read-all');
    expect(all.status).toBe(200);
    expect(all.body.more).toBe(false);
    expect((await list('u-agent')).every((n) => n.read)).toBe(true);
    expect((await list('u-agent')).map((n) => n.id)).toEqual(expect.arrayContaining([two, three]));
    expect((await api.call<{ marked: number }>('u-agent', 'POST', '/v1/notifications/read-all')).body.marked).toBe(0);
    expect((await list('u-manager')).find((n) => n.id === theirs)?.read).toBe(false);
  });
});
