import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * Team modules run their own processes: a team's admins define blueprints, approval and review
 * processes on their team's modules (and they act on the team's requests); 403 on org modules and for
 * anyone else; the org admin sees and changes everything; a revocation holds from the next request.
 */
describe('team admins and process definitions (permission matrix, e2e)', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi();
  });
  afterAll(() => api?.close());

  const bigBudgetApproval = (module: string) => ({
    name: `Big budget on ${module}`,
    module,
    triggers: { onCreate: true },
    criteria: { all: [{ field: module === 'Deals' ? 'amount' : 'budget', op: 'gt', value: 100000 }] },
    levels: [{ approvers: [{ kind: 'teamRole', teamId: OPERATIONS_TEAM_ID, role: 'admin' }] }],
  });
  const review = (module: string) => ({ name: `Review ${module}`, module, triggers: { onCreate: true }, fields: [module === 'Deals' ? 'name' : 'title'], reviewers: [{ kind: 'user', userId: 'u-ops' }] });
  const blueprint = (module: string) => ({
    name: `Flow of ${module}`,
    module,
    field: module === 'Deals' ? 'stage' : 'priority',
    initialState: module === 'Deals' ? 'Qualification' : 'Low',
    states: module === 'Deals' ? ['Qualification', 'Proposal'] : ['Low', 'Urgent'],
    transitions: [{ id: 'up', name: 'Up', from: module === 'Deals' ? 'Qualification' : 'Low', to: module === 'Deals' ? 'Proposal' : 'Urgent', before: { who: [{ kind: 'owner' }] } }],
  });

  const matrix: Array<[user: string, module: string, expected: number]> = [
    ['u-ops', ARRANGEMENTS_MODULE, 201],
    ['u-ops', 'Deals', 403],
    ['u-agent', ARRANGEMENTS_MODULE, 403],
    ['u-manager', 'Deals', 403],
    ['u-requester', ARRANGEMENTS_MODULE, 403],
    ['u-requester', 'Deals', 403],
  ];

  it.each(matrix)('%s defining processes on %s → %i (blueprint, approval process, review process)', async (user, module, expected) => {
    for (const [path, body] of [
      ['/v1/approval-processes', bigBudgetApproval(module)],
      ['/v1/review-processes', review(module)],
      ['/v1/blueprints', blueprint(module)],
    ] as const) {
      const res = await api.call(user, 'POST', path, { body });
      expect(res.status, `${user} POST ${path} on ${module}: ${JSON.stringify(res.body)}`).toBe(expected);
    }
  });

  it('the team admin sees their definitions, outsiders do not; the org admin sees all', async () => {
    const names = async (user: string) => (await api.call(user, 'GET', '/v1/approval-processes')).body.items.map((p: { name: string }) => p.name);
    expect(await names('u-ops')).toContain(`Big budget on ${ARRANGEMENTS_MODULE}`);
    expect(await names('u-agent')).not.toContain(`Big budget on ${ARRANGEMENTS_MODULE}`);
    expect(await names('u-admin')).toEqual(expect.arrayContaining([`Big budget on ${ARRANGEMENTS_MODULE}`, 'Discount over 10%']));
  });

  it("the team's approval process acts on a request: locked until u-ops approves", async () => {
    // The review process on Arrangements also matches, but the approval comes first: one lock at a time.
    const submitted = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Charter for 40 people', kind: 'Flight', budget: 250000 } } });
    expect(submitted.status).toBe(201);
    const inbox = await api.call('u-ops', 'GET', '/v1/approvals?status=pending&assignee=me');
    const pending = inbox.body.items.find((a: { module: string; processName: string }) => a.module === ARRANGEMENTS_MODULE);
    expect(pending).toMatchObject({ approverIds: ['u-ops'], submittedBy: 'u-requester' });
    expect((await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/${pending.recordId}`)).body.lock).toMatchObject({ reason: 'approval' });
    expect((await api.call('u-ops', 'POST', `/v1/approvals/${pending.id}/approve`, { body: {} })).status).toBe(200);
    expect((await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/${pending.recordId}`)).body.lock).toBeUndefined();
  });

  it("the org admin changes a team's definition; revoking u-ops removes the right at once", async () => {
    const [mine] = (await api.call('u-ops', 'GET', '/v1/approval-processes')).body.items.filter((p: { module: string }) => p.module === ARRANGEMENTS_MODULE);
    const byAdmin = await api.call('u-admin', 'PUT', `/v1/approval-processes/${mine.id}`, { body: { ...mine.draft, name: 'Big budget (admin edit)' }, headers: { 'if-match': `"${mine.revision}"` } });
    expect(byAdmin.status).toBe(200);
    const stale = await api.call('u-ops', 'PUT', `/v1/approval-processes/${mine.id}`, { body: mine.draft, headers: { 'if-match': `"${mine.revision}"` } });
    expect(stale.status).toBe(412);
    expect((await api.call('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/admins/u-ops`)).status).toBe(200);
    const revoked = await api.call('u-ops', 'PUT', `/v1/approval-processes/${mine.id}`, { body: mine.draft });
    expect(revoked.status).toBe(403);
    expect((await api.call('u-ops', 'POST', '/v1/approval-processes', { body: bigBudgetApproval(ARRANGEMENTS_MODULE) })).status).toBe(403);
  });

  it('a definition that does not fit its module is a 400 naming each fault', async () => {
    const bad = await api.call('u-admin', 'POST', '/v1/blueprints', {
      body: {
        name: 'Broken',
        module: 'Deals',
        field: 'stage',
        initialState: 'Qualification',
        states: ['Qualification', 'Proposal', 'Dreaming'],
        transitions: [{ id: 'go', name: 'Go', from: 'Qualification', to: 'Proposal', before: { who: [{ kind: 'user', userId: 'u-ghost' }] }, during: { fields: [{ name: 'nope' }] } }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['states.2', 'states.2', 'transitions.0.before.who.0.userId', 'transitions.0.during.fields.0.name']);
    const unknownApprover = await api.call('u-admin', 'POST', '/v1/approval-processes', { body: { ...bigBudgetApproval('Deals'), levels: [{ approvers: [{ kind: 'teamRole', teamId: 'no-team', role: 'admin' }] }], onApprove: [{ type: 'updateFields', fields: { nothing: 1 } }] } });
    expect(unknownApprover.status).toBe(400);
    expect(unknownApprover.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['levels.0.approvers.0.teamId', expect.stringMatching(/^onApprove\.0/)]));
  });
});
