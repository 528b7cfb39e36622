import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const member = (userId: string) => `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/${userId}`;

describe("the brake holds: a team admin cannot give back admin rights the org admin revoked", () => {
  it('removing the revoked user and adding them again as admin is refused (403); the org admin still may', async () => {
    expect((await api.call('u-ops', 'PUT', member('u-agent'), { body: { role: 'admin' } })).status).toBe(200);
    const revoked = await api.call('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-agent`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ role: 'member', adminRevoked: { by: 'u-admin' } });

    // The team admin takes them out of the team and puts them back in.
    expect((await api.call('u-ops', 'DELETE', member('u-agent'))).status).toBe(204);
    const asAdmin = await api.call('u-ops', 'PUT', member('u-agent'), { body: { role: 'admin' } });
    expect(asAdmin.status).toBe(403);
    const team = await api.call('u-ops', 'GET', `/v1/team-spaces/${OPERATIONS_TEAM_ID}`);
    expect(team.body.members.find((m: { userId: string }) => m.userId === 'u-agent')).toBeUndefined();

    // Back as a member, they still carry the mark; the team admin still cannot make them admin.
    const asMember = await api.call('u-ops', 'PUT', member('u-agent'), { body: { role: 'member' } });
    expect(asMember.status).toBe(200);
    expect(asMember.body).toMatchObject({ role: 'member', adminRevoked: { by: 'u-admin' } });
    expect((await api.call('u-ops', 'PUT', member('u-agent'), { body: { role: 'admin' } })).status).toBe(403);

    // The org admin may restore the rights; the mark goes with it.
    const restored = await api.call('u-admin', 'PUT', member('u-agent'), { body: { role: 'admin' } });
    expect(restored.status).toBe(200);
    expect(restored.body.role).toBe('admin');
    expect(restored.body.adminRevoked).toBeUndefined();
  });

  it('a revoked user removed and added back by the org admin as admin starts clean', async () => {
    expect((await api.call('u-admin', 'PUT', member('u-manager'), { body: { role: 'admin' } })).status).toBe(200);
    expect((await api.call('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-manager`)).status).toBe(200);
    expect((await api.call('u-ops', 'DELETE', member('u-manager'))).status).toBe(204);
    const back = await api.call('u-admin', 'PUT', member('u-manager'), { body: { role: 'admin' } });
    expect(back.status).toBe(200);
    expect(back.body.adminRevoked).toBeUndefined();
    // Demoted and removed again by the team admin, then re-added: no stale mark is left behind.
    expect((await api.call('u-ops', 'DELETE', member('u-manager'))).status).toBe(204);
    expect((await api.call('u-ops', 'PUT', member('u-manager'), { body: { role: 'admin' } })).status).toBe(200);
  });
});
