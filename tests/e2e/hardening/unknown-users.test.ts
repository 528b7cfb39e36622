import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../infra/local/auth-keys.js';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import type { RouteSpec } from '../../../shared/http/route-spec.js';
import { UPDATE_TRAVEL_INFO_KIOSK } from '../../../infra/local/seed-kiosks.js';
import { NEW_LEAD_WIZARD } from '../../../infra/local/seed-wizards.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { HIGH_VALUE_DEAL_ALERT } from '../../../infra/local/seed-workflow-rules.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * Fault 6 of the hardening issue: a valid token of someone who is not in Keiro's directory (a Cognito
 * user not yet added) is refused with 403 problem+json on every authenticated route of the route table
 * except GET /v1/me, which tells them so. Generated from functions/routes.ts: a new route is covered
 * the moment it is added, and a route that takes a body or required query needs a valid sample below
 * (so the refusal is proven where the request would otherwise have been served, not only on bad input).
 */
const OUTSIDER = 'u-not-in-directory';
const ALLOWED = new Set(['getMe']);

/** Path parameters by name; team-side routes name the seeded team space and team module. */
const pathFor = (route: RouteSpec): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const teamSide = route.path.startsWith('/v1/team-');
    switch (name) {
      case 'module':
        return teamSide ? ARRANGEMENTS_MODULE : 'Leads';
      case 'relatedModule':
        return 'Contacts';
      case 'userId':
        return 'u-agent';
      case 'id':
        return route.path.startsWith('/v1/team-spaces') ? OPERATIONS_TEAM_ID : route.path.startsWith('/v1/users') ? 'u-agent' : '01JDEMOLEA0000000000000001';
      default:
        return `sample-${name}`;
    }
  });

const fieldsOf = [{ name: 'title', label: 'Title', type: 'text', required: true }];

/** Valid requests for routes with a body or a required query: each is checked against the route's own schema first. */
const SAMPLES: Record<string, { body?: unknown; query?: Record<string, string> }> = {
  createUser: { body: { id: 'u-sneaky', email: 'u-sneaky@keiro.example', name: 'Sneaky', orgRole: 'admin' } },
  patchUser: { body: { orgRole: 'admin' } },
  createModule: { body: { name: 'Outsiders', label: 'Outsiders', fields: fieldsOf } },
  updateModule: { body: { fields: [{ name: 'lastName', label: 'Last name', type: 'text', required: true }] } },
  createRecord: { body: { fields: { lastName: 'Sneaky' } } },
  patchRecord: { body: { fields: { company: 'Sneaky' } } },
  eraseRecord: { body: { reason: 'An outsider asks to erase' } },
  lookupRecords: { query: { field: 'phone', value: '090-1234-0000' } },
  kanban: { query: { groupBy: 'leadStatus' } },
  aggregate: { query: { groupBy: 'leadStatus' } },
  listWizardDrafts: { query: { status: 'draft' } },
  createTeamSpace: { body: { name: 'Shadow team' } },
  setTeamTabs: { body: { tabs: [] } },
  setTeamMember: { body: { role: 'admin' } },
  createTeamModule: { body: { name: 'ShadowModule', label: 'Shadow', fields: fieldsOf } },
  putAssignmentRules: { body: { criteria: [], otherwise: { kind: 'none' } } },
  submitRequest: { body: { fields: { title: 'Sneaky request' } } },
  updateRequest: { body: { comment: 'Sneaky' } },
  createWizard: { body: NEW_LEAD_WIZARD },
  putWizard: { body: NEW_LEAD_WIZARD },
  submitWizardScreen: { body: { values: { lastName: 'Sneaky' } } },
  saveWizardDraft: { body: { values: {} } },
  createKiosk: { body: UPDATE_TRAVEL_INFO_KIOSK },
  putKiosk: { body: UPDATE_TRAVEL_INFO_KIOSK },
  submitKioskScreen: { body: { screenId: 'customer-phone', values: { phone: '090-1111-2222' } } },
  convertLead: { body: {} },
  putLeadConversionMapping: { body: { contact: {} } },
  createJourney: { body: TRAVEL_CUSTOMER_JOURNEY },
  updateJourney: { body: TRAVEL_CUSTOMER_JOURNEY },
  moveJourneyInstance: { body: { to: 'promoter' } },
  createWorkflowRule: { body: HIGH_VALUE_DEAL_ALERT },
  updateWorkflowRule: { body: HIGH_VALUE_DEAL_ALERT },
  startShadowRun: { body: { kind: 'workflowRule', draft: HIGH_VALUE_DEAL_ALERT, window: { days: 30 } } },
  // Business processes (functions/processes): a valid body each.
  createBlueprint: { body: { name: 'Sneaky flow', module: 'Leads', field: 'leadStatus', initialState: 'New', states: ['New', 'Contacted'], transitions: [{ id: 'go', name: 'Go', from: 'New', to: 'Contacted', before: { who: [{ kind: 'owner' }] } }] } },
  updateBlueprint: { body: { name: 'Sneaky flow', module: 'Leads', field: 'leadStatus', initialState: 'New', states: ['New', 'Contacted'], transitions: [{ id: 'go', name: 'Go', from: 'New', to: 'Contacted', before: { who: [{ kind: 'owner' }] } }] } },
  migrateBlueprint: { body: { stateMapping: {} } },
  performTransition: { body: {} },
  createApprovalProcess: { body: { name: 'Sneaky approval', module: 'Deals', triggers: { manual: true }, levels: [{ approvers: [{ kind: 'user', userId: 'u-manager' }] }] } },
  updateApprovalProcess: { body: { name: 'Sneaky approval', module: 'Deals', triggers: { manual: true }, levels: [{ approvers: [{ kind: 'user', userId: 'u-manager' }] }] } },
  actOnApproval: { body: {} },
  submitForApproval: { body: {} },
  createReviewProcess: { body: { name: 'Sneaky review', module: 'Accounts', triggers: { onCreate: true }, fields: ['name'], reviewers: [{ kind: 'user', userId: 'u-manager' }] } },
  updateReviewProcess: { body: { name: 'Sneaky review', module: 'Accounts', triggers: { onCreate: true }, fields: ['name'], reviewers: [{ kind: 'user', userId: 'u-manager' }] } },
  decideReview: { body: { fields: { name: { accept: true } } } },
  createCadence: { body: TRAVEL_INQUIRY_FOLLOW_UP },
  putCadence: { body: TRAVEL_INQUIRY_FOLLOW_UP },
  enrollRecords: { body: { recordIds: ['01JDEMOLEA0000000000000001'] } },
};

const authenticated = routes.filter((r) => r.auth === 'jwt' && !ALLOWED.has(r.operationId));
const needsSample = (r: RouteSpec) => r.body !== undefined || (r.query !== undefined && !r.query.safeParse({}).success);

describe('a valid token of a user who is not in the directory', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi();
  });
  afterAll(async () => api?.close());

  const expectNotInDirectory = (res: { status: number; headers: Headers; body: any }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toContain("not in the organisation's directory");
  };

  it('every route that takes a body or a required query has a valid sample here', () => {
    for (const route of authenticated.filter(needsSample)) {
      const sample = SAMPLES[route.operationId];
      expect(sample, `add a valid sample request for ${route.operationId} to SAMPLES`).toBeDefined();
      if (route.body) expect(route.body.safeParse(sample?.body).success, `${route.operationId}: the sample body must pass the route's schema`).toBe(true);
      if (route.query) expect(route.query.safeParse(sample?.query ?? {}).success, `${route.operationId}: the sample query must pass the route's schema`).toBe(true);
    }
  });

  it.each(authenticated.map((r) => [`${r.method} ${r.path}`, r] as const))('%s → 403 problem+json (a valid request)', async (_, route) => {
    const sample = SAMPLES[route.operationId] ?? {};
    const query = sample.query ? `?${new URLSearchParams(sample.query).toString()}` : '';
    expectNotInDirectory(await api.call(OUTSIDER, route.method, `${pathFor(route)}${query}`, sample.body !== undefined ? { body: sample.body } : {}));
  });

  it.each(authenticated.map((r) => [`${r.method} ${r.path}`, r] as const))('%s → 403 for a careless request too (not a 400 that teaches the shapes)', async (_, route) => {
    const headers = { 'if-match': 'not an etag', 'x-change-reason': 'x'.repeat(600) };
    expectNotInDirectory(await api.call(OUTSIDER, route.method, `${pathFor(route)}?unexpected=1`, { headers, ...(route.body ? { body: { unexpected: true } } : {}) }));
  });

  it('GET /v1/me answers 200 and says so', async () => {
    const res = await api.call(OUTSIDER, 'GET', '/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: null, id: OUTSIDER, inDirectory: false, orgRole: null, isOrgAdmin: false, teams: [], requesterOf: [] });
  });

  it('public routes need no directory entry', async () => {
    // (Those that need a query, like the unsubscribe link's token, are covered by their own tests.)
    for (const route of routes.filter((r) => r.auth === 'public' && r.method === 'GET' && !r.path.includes('{') && (!r.query || r.query.safeParse({}).success))) {
      expect((await api.call(OUTSIDER, 'GET', route.path)).status, route.path).toBe(200);
    }
  });

  it('nothing was changed by the refused requests', async () => {
    expect((await api.call('u-admin', 'GET', '/v1/users/u-sneaky')).status).toBe(404);
    expect((await api.call('u-admin', 'GET', '/v1/users/u-agent')).body.orgRole).toBe('member');
    expect((await api.call('u-admin', 'GET', '/v1/modules/Outsiders')).status).toBe(404);
    const leads = await api.call('u-admin', 'GET', '/v1/records/Leads?filter[lastName]=Sneaky');
    expect(leads.body.items).toEqual([]);
  });

  it('once an org admin adds them, the same token works; an org admin by token who is not in the directory can add users', async () => {
    const added = await api.call('u-bootstrap-admin', 'POST', '/v1/users', { body: { id: 'u-late', email: 'u-late@keiro.example', name: 'Late', orgRole: 'member' } });
    expect(added.status, JSON.stringify(added.body)).toBe(403);
    const token = await new SignJWT({ 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('u-bootstrap-admin').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(api.keys.privateKey);
    const asBootstrapAdmin = await fetch(`${api.baseUrl}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'u-late', email: 'u-late@keiro.example', name: 'Late', orgRole: 'member' }),
    });
    expect(asBootstrapAdmin.status).toBe(201);
    expect((await api.call('u-late', 'GET', '/v1/records/Leads?limit=1')).status).toBe(200);
    expect((await api.call('u-late', 'GET', '/v1/me')).body.inDirectory).toBe(true);
  });

  it('the local verifier refuses a correctly signed token without exp (401)', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setSubject('u-agent').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().sign(api.keys.privateKey);
    const res = await fetch(`${api.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
