import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActions } from '../../../functions/events/actions/run-actions.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

const CONTACT = '01JDEMOCON0000000000000001';
const REASON = { 'x-change-reason': 'Customer cancelled; closing the file' };
const ROLES = ['u-admin', 'u-manager', 'u-agent'] as const;
type Role = (typeof ROLES)[number];

/** A governed field: the module, the field, a record's first state, and a state outside it that no transition reaches from there. */
interface Governed {
  module: string;
  field: string;
  initial: string;
  target: string;
  fields: Record<string, unknown>;
}

/**
 * Only a direct record write (POST/PATCH of a record) by an org admin who sends X-Change-Reason changes a
 * governed field outside a transition. Every other path (a kiosk, a wizard, the action library that
 * workflow rules, blueprint after-actions, approval actions and journeys run) never overrides, whoever
 * runs it and whatever note it carries: table-driven over write path × role × governed field.
 */
describe('an override happens only when someone asks for one (e2e)', () => {
  let api: E2eApi;
  const governed: Governed[] = [
    { module: 'TravelApplications', field: 'stage', initial: 'Requirements Check', target: 'Completed', fields: { name: 'Override target', contactId: CONTACT } },
    { module: 'Cases', field: 'status', initial: 'Open', target: 'Closed', fields: { subject: 'Override target', contactId: CONTACT } },
  ];
  let kioskId: string;
  let wizardIds: Record<string, string>;

  const newRecord = async (g: Governed): Promise<string> => {
    const created = await api.call('u-agent', 'POST', `/v1/records/${g.module}`, { body: { fields: g.fields } });
    expect(created.status).toBe(201);
    expect(created.body.fields[g.field]).toBe(g.initial);
    return created.body.id as string;
  };
  const valueOf = async (g: Governed, id: string) => (await api.call('u-admin', 'GET', `/v1/records/${g.module}/${id}`)).body.fields[g.field];

  beforeAll(async () => {
    api = await startE2eApi();
    // A second governed field: a blueprint on Cases.status (Open → Escalated → Closed, only through its transitions).
    const blueprint = await api.call('u-admin', 'POST', '/v1/blueprints', {
      body: {
        name: 'Case handling',
        module: 'Cases',
        field: 'status',
        entryCriteria: { all: [] },
        initialState: 'Open',
        states: ['Open', 'Escalated', 'Closed'],
        transitions: [
          { id: 'escalate', name: 'Escalate', from: 'Open', to: 'Escalated', before: { who: [{ kind: 'owner' }] }, after: [] },
          { id: 'close', name: 'Close', from: 'Escalated', to: 'Closed', before: { who: [{ kind: 'owner' }] }, after: [] },
        ],
      },
    });
    expect(blueprint.status, JSON.stringify(blueprint.body)).toBe(201);
    expect((await api.call('u-admin', 'POST', `/v1/blueprints/${blueprint.body.id}/publish`)).status).toBe(200);

    const kiosk = await api.call('u-admin', 'POST', '/v1/kiosks', {
      body: {
        name: 'Set a state',
        runners: { orgRoles: ['admin', 'member'] },
        start: 'ask',
        nodes: [
          { kind: 'screen', id: 'ask', title: 'Which record', components: [{ kind: 'input', id: 'module', type: 'text', label: 'Module', required: true }, { kind: 'input', id: 'target', type: 'text', label: 'Record', required: true }, { kind: 'input', id: 'state', type: 'text', label: 'State', required: true }], next: 'route' },
          { kind: 'decision', id: 'route', branches: [{ when: { all: [{ field: 'values.module', op: 'eq', value: 'Cases' }] }, next: 'set-case' }], otherwise: 'set-application' },
          { kind: 'action', id: 'set-application', action: { type: 'updateRecord', module: 'TravelApplications', id: { ref: 'values.target' }, fields: { stage: { ref: 'values.state' } } }, next: 'done' },
          { kind: 'action', id: 'set-case', action: { type: 'updateRecord', module: 'Cases', id: { ref: 'values.target' }, fields: { status: { ref: 'values.state' } } }, next: 'done' },
          { kind: 'end', id: 'done', title: 'Done' },
        ],
      },
    });
    expect(kiosk.status, JSON.stringify(kiosk.body)).toBe(201);
    kioskId = kiosk.body.id;

    wizardIds = {};
    for (const g of governed) {
      const names = [...Object.keys(g.fields), g.field];
      const wizard = await api.call('u-admin', 'POST', '/v1/wizards', { body: { name: `New ${g.module} in any state`, module: g.module, screens: [{ id: 'all', title: 'All', fields: names.map((field) => ({ field })) }] } });
      expect(wizard.status, JSON.stringify(wizard.body)).toBe(201);
      wizardIds[g.module] = wizard.body.id;
    }
  });
  afterAll(() => api?.close());

  /** Each path tries to move the governed field of a fresh record to `target`; returns the HTTP status (or the action's outcome). */
  const paths: Record<string, (g: Governed, user: Role, withReason: boolean) => Promise<string | number>> = {
    'PATCH of the record': async (g, user, withReason) => {
      const id = await newRecord(g);
      const res = await api.call(user, 'PATCH', `/v1/records/${g.module}/${id}`, { body: { fields: { [g.field]: g.target } }, ...(withReason ? { headers: REASON } : {}) });
      return `${res.status} ${await valueOf(g, id)}`;
    },
    'POST of a record in another state': async (g, user, withReason) => {
      const res = await api.call(user, 'POST', `/v1/records/${g.module}`, { body: { fields: { ...g.fields, [g.field]: g.target } }, ...(withReason ? { headers: REASON } : {}) });
      return `${res.status} ${res.status === 201 ? res.body.fields[g.field] : '-'}`;
    },
    'kiosk run': async (g, user, withReason) => {
      const id = await newRecord(g);
      const headers = withReason ? REASON : {};
      const run = await api.call(user, 'POST', `/v1/kiosks/${kioskId}/runs`, { headers });
      expect(run.status).toBe(201);
      const res = await api.call(user, 'POST', `/v1/kiosk-runs/${run.body.runId}/submit`, { body: { screenId: 'ask', values: { module: g.module, target: id, state: g.target } }, headers });
      return `${res.status} ${await valueOf(g, id)}`;
    },
    'wizard finish': async (g, user, withReason) => {
      const headers = withReason ? REASON : {};
      const session = await api.call(user, 'POST', `/v1/wizards/${wizardIds[g.module]}/sessions`, { headers });
      expect(session.status).toBe(201);
      const path = `/v1/wizard-sessions/${session.body.sessionId}`;
      const screen = await api.call(user, 'POST', `${path}/screens/all`, { body: { values: { ...g.fields, [g.field]: g.target } }, headers });
      if (screen.status !== 200) return `${screen.status} -`;
      const res = await api.call(user, 'POST', `${path}/finish`, { headers });
      return `${res.status} ${res.status === 201 ? res.body.fields[g.field] : '-'}`;
    },
    'action library (workflow rules, blueprint and approval actions, journeys)': async (g, user) => {
      const id = await newRecord(g);
      const [outcome] = await runActions(api.deps, {
        sourceEventId: `override-${api.deps.newId()}`,
        via: { kind: 'workflow-rule', id: 'r1', name: `A rule ${user} owns` },
        depth: 1,
        actorId: user,
        record: { id, module: g.module, ownerId: 'u-agent', fields: {} },
        actions: [{ type: 'updateFields', fields: { [g.field]: g.target } }],
      });
      return `${outcome!.status} ${await valueOf(g, id)}`;
    },
  };

  const cases = Object.keys(paths).flatMap((path) => ROLES.flatMap((user) => [false, true].map((withReason) => ({ path, user, withReason }))));

  it.each(cases)('$path by $user (X-Change-Reason: $withReason)', async ({ path, user, withReason }) => {
    for (const g of governed) {
      const outcome = await paths[path]!(g, user, withReason);
      const direct = path.startsWith('PATCH') || path.startsWith('POST');
      if (direct && user === 'u-admin' && withReason) expect(outcome, `${g.module}.${g.field}`).toBe(`${path.startsWith('POST') ? 201 : 200} ${g.target}`);
      else expect(outcome, `${g.module}.${g.field}`).toMatch(new RegExp(`^(422|refused) (${g.initial}|-)$`));
    }
  });
});
