import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/** `GET /v1/users` as a guest: the list of one, themselves (not a 403), as the README says. */
let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

describe('the users directory for a guest', () => {
  it('lists only the guest themself, with no next page, whatever limit is asked', async () => {
    for (const query of ['', '?limit=1', '?limit=100']) {
      const res = await api.call<{ items: Array<{ id: string; orgRole: string }>; nextCursor?: string }>('u-requester', 'GET', `/v1/users${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((u) => [u.id, u.orgRole])).toEqual([['u-requester', 'guest']]);
      expect(res.body.nextCursor).toBeUndefined();
    }
  });

  it('while a member lists everyone, and the guest still cannot read another profile', async () => {
    const all = await api.call<{ items: Array<{ id: string }> }>('u-agent', 'GET', '/v1/users?limit=100');
    expect(all.status).toBe(200);
    expect(all.body.items.map((u) => u.id)).toEqual(expect.arrayContaining(['u-admin', 'u-manager', 'u-agent', 'u-ops', 'u-requester']));
    expect((await api.call('u-requester', 'GET', '/v1/users/u-agent')).status).toBe(403);
    expect((await api.call('u-requester', 'GET', '/v1/users/u-requester')).status).toBe(200);
  });
});
