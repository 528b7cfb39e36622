import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { routeKey, type RouteSpec } from '../../../shared/http/route-spec.js';
import { startE2eApi, type ApiResponse, type E2eApi } from '../../support/e2e.js';
import { UPDATE_TRAVEL_INFO_KIOSK, UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../../infra/local/seed-kiosks.js';
import { NEW_LEAD_WIZARD, NEW_LEAD_WIZARD_ID } from '../../../infra/local/seed-wizards.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { HIGH_VALUE_DEAL_ALERT } from '../../../infra/local/seed-workflow-rules.js';
import { DEMO_CADENCE_ID } from '../../../infra/local/seed-cadences.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';

/**
 * The guest row of the authorization matrix, generated from the route table so that a new route
 * cannot miss its cell. The guest is u-requester: a requester of the team module Arrangements and
 * nothing else. For every route, path params are filled with existing org resources (Leads and a
 * custom module), with a team module the guest is not a requester of, and with missing ones: the guest
 * must get the same answer for all (existence never leaks), is refused on every token route they do
 * not use, and never gets a 5xx. The routes a guest legitimately uses are listed with their expected
 * answer.
 */
const GUEST = 'u-requester';
const LEAD = '01JDEMOLEA0000000000000001';
const CUSTOM = 'GuestProbes';
/** A team module of the Operations team that the guest is not a requester of. */
const HIDDEN_TEAM_MODULE = 'HiddenVisas';
const MISSING_ID = '01JNOSUCHTHING000000000000';

let api: E2eApi;
let customRecord = '';
let hiddenRecord = '';
let othersRequest = '';
let ownRequest = '';

const must = (res: ApiResponse<any>, what: string): any => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

type Params = Record<string, string>;
type Fill = (route: RouteSpec) => Params;

/** What `{id}` names depends on the resource the path is about. */
const idOf = (path: string, existing: boolean): string => {
  if (!existing) return MISSING_ID;
  if (path.startsWith('/v1/team-spaces/')) return OPERATIONS_TEAM_ID;
  if (path.startsWith('/v1/users/')) return 'u-agent';
  if (path.startsWith('/v1/requests/') || path.startsWith('/v1/my-requests/')) return othersRequest;
  if (path.startsWith('/v1/admin/dead-letters/')) return MISSING_ID; // no dead letter exists in a fresh seed
  if (path.startsWith('/v1/wizards/')) return NEW_LEAD_WIZARD_ID;
  if (path.startsWith('/v1/kiosks/')) return UPDATE_TRAVEL_INFO_KIOSK_ID;
  if (path.startsWith('/v1/cadences/')) return DEMO_CADENCE_ID;
  return LEAD;
};

/** Existing org resources: the standard module Leads with a seeded lead, and a custom org module. */
const existingLeads: Fill = (r) => ({ module: 'Leads', id: idOf(r.path, true), relatedModule: 'Contacts', userId: 'u-agent' });
const existingCustom: Fill = (r) => ({ module: CUSTOM, id: r.path.startsWith('/v1/records/') ? customRecord : idOf(r.path, true), relatedModule: 'Leads', userId: 'u-agent' });
const existingTeamModule: Fill = (r) => ({ module: HIDDEN_TEAM_MODULE, id: r.path.startsWith('/v1/records/') ? hiddenRecord : idOf(r.path, true), relatedModule: 'Leads', userId: 'u-agent' });
const missing: Fill = (r) => ({ module: 'NoSuchModule', id: idOf(r.path, false), relatedModule: 'NoSuchModule', userId: 'u-nosuch' });

const pathOf = (route: RouteSpec, params: Params): string => route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'x'));

/** A valid body per route (a probe must get past validation to reach the access check). */
const BODIES: Record<string, unknown> = {
  createModule: { name: 'GuestMade', label: 'Guest made', fields: [{ name: 'title', label: 'Title', type: 'text', required: false }] },
  updateModule: { fields: [{ name: 'lastName', label: 'Last name', type: 'text', required: false }] },
  createRecord: { fields: { lastName: 'Guest' } },
  patchRecord: { fields: { lastName: 'Guest' } },
  eraseRecord: { reason: 'A guest asks to erase' },
  createTeamSpace: { name: 'Guests', members: [] },
  setTeamTabs: { tabs: [] },
  setTeamMember: { role: 'member' },
  createTeamModule: { name: 'GuestTeamModule', label: 'Guest team module', fields: [{ name: 'title', label: 'Title', type: 'text', required: false }] },
  putAssignmentRules: { criteria: [], otherwise: { kind: 'none' } },
  submitRequest: { fields: { title: 'Guest asks', kind: 'Other' } },
  updateRequest: { comment: 'Guest comment' },
  createUser: { id: 'u-guestmade', email: 'guestmade@keiro.example', name: 'Guest made', orgRole: 'member' },
  patchUser: { name: 'Renamed by a guest' },
  createWizard: NEW_LEAD_WIZARD,
  putWizard: NEW_LEAD_WIZARD,
  submitWizardScreen: { values: { lastName: 'Guest' } },
  saveWizardDraft: { values: {} },
  createKiosk: UPDATE_TRAVEL_INFO_KIOSK,
  putKiosk: UPDATE_TRAVEL_INFO_KIOSK,
  submitKioskScreen: { screenId: 'customer-phone', values: { phone: '090-1111-2222' } },
  convertLead: {},
  putLeadConversionMapping: { contact: {} },
  createJourney: TRAVEL_CUSTOMER_JOURNEY,
  updateJourney: TRAVEL_CUSTOMER_JOURNEY,
  moveJourneyInstance: { to: 'promoter' },
  createWorkflowRule: HIGH_VALUE_DEAL_ALERT,
  updateWorkflowRule: HIGH_VALUE_DEAL_ALERT,
  startShadowRun: { kind: 'workflowRule', draft: HIGH_VALUE_DEAL_ALERT, window: { days: 30 } },
  // Business processes (functions/processes): a valid body each.
  createBlueprint: { name: 'Sneaky flow', module: 'Leads', field: 'leadStatus', initialState: 'New', states: ['New', 'Contacted'], transitions: [{ id: 'go', name: 'Go', from: 'New', to: 'Contacted', before: { who: [{ kind: 'owner' }] } }] },
  updateBlueprint: { name: 'Sneaky flow', module: 'Leads', field: 'leadStatus', initialState: 'New', states: ['New', 'Contacted'], transitions: [{ id: 'go', name: 'Go', from: 'New', to: 'Contacted', before: { who: [{ kind: 'owner' }] } }] },
  migrateBlueprint: { stateMapping: {} },
  performTransition: {},
  createApprovalProcess: { name: 'Sneaky approval', module: 'Deals', triggers: { manual: true }, levels: [{ approvers: [{ kind: 'user', userId: 'u-manager' }] }] },
  updateApprovalProcess: { name: 'Sneaky approval', module: 'Deals', triggers: { manual: true }, levels: [{ approvers: [{ kind: 'user', userId: 'u-manager' }] }] },
  actOnApproval: {},
  submitForApproval: {},
  createReviewProcess: { name: 'Sneaky review', module: 'Accounts', triggers: { onCreate: true }, fields: ['name'], reviewers: [{ kind: 'user', userId: 'u-manager' }] },
  updateReviewProcess: { name: 'Sneaky review', module: 'Accounts', triggers: { onCreate: true }, fields: ['name'], reviewers: [{ kind: 'user', userId: 'u-manager' }] },
  decideReview: { fields: { name: { accept: true } } },
  unsubscribePost: { 'List-Unsubscribe': 'One-Click' },
  createCadence: TRAVEL_INQUIRY_FOLLOW_UP,
  putCadence: TRAVEL_INQUIRY_FOLLOW_UP,
  enrollRecords: { recordIds: [LEAD] },
};

/** A valid query for routes that require one. */
const QUERIES: Record<string, string> = {
  unsubscribeGet: '?token=forged',
  unsubscribePost: '?token=forged',
  kanban: '?groupBy=leadStatus',
  aggregate: '?groupBy=leadStatus',
  lookupRecords: '?field=phone&value=090-1234-5678',
  listWizardDrafts: '?status=draft',
};

const probe = (route: RouteSpec, params: Params) =>
  api.call<any>(GUEST, route.method, `${pathOf(route, params)}${QUERIES[route.operationId] ?? ''}`, route.body ? { body: BODIES[route.operationId] } : {});

/**
 * Routes a guest legitimately uses, with what they get. A `team` route is probed with the team module
 * the guest is a requester of (Arrangements) and the Operations team.
 */
const GUEST_ROUTES: Record<string, { params?: () => Params; status: number | readonly number[]; body?: (body: any) => void }> = {
  getMe: { status: 200 },
  listMyRequests: { status: 200 },
  getMyRequest: { params: () => ({ id: ownRequest }), status: 200 },
  getRequest: { params: () => ({ id: ownRequest }), status: 200 },
  getRequestForm: { params: () => ({ module: ARRANGEMENTS_MODULE }), status: 200 },
  submitRequest: { params: () => ({ module: ARRANGEMENTS_MODULE }), status: 201 },
  listNotifications: { status: 200 },
  // A guest's own tasks and notifications (nobody else's: assignee=<other> is a 403).
  listTasks: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  readAllNotifications: { status: 200 },
  listTeamSpaces: { status: 200 },
  listModules: { status: 200 },
  // Wizards and kiosks a guest could run: none in the demo (the lists are theirs, and empty).
  listWizards: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  listKiosks: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  // A person's own wizard drafts (none for a guest).
  listWizardDrafts: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  // The directory shows a guest only themselves (the README's promise; the list of one), never anyone
  // else. A 403 is the older answer, which leaks nothing either.
  listUsers: { status: [200, 403], body: (body) => body.items && expect(body.items.map((u: { id: string }) => u.id)).toEqual([GUEST]) },
  // A person's own approval and review inboxes (empty for a guest nobody asked), and the process
  // definitions of the modules they may see (none for a guest).
  listApprovals: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  listReviews: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  listBlueprints: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  listApprovalProcesses: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  listReviewProcesses: { status: 200, body: (body) => expect(body.items).toEqual([]) },
  health: { status: 200 },
  openapi: { status: 200 },
};

beforeAll(async () => {
  api = await startE2eApi();
  must(await api.call('u-admin', 'POST', '/v1/modules', { body: { name: CUSTOM, label: 'Guest probes', fields: [{ name: 'lastName', label: 'Last name', type: 'text', required: false }] } }), 'custom module');
  customRecord = must(await api.call('u-admin', 'POST', `/v1/records/${CUSTOM}`, { body: { fields: { lastName: 'Probe' } } }), 'custom record').id;
  must(await api.call('u-ops', 'POST', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/modules`, { body: { name: HIDDEN_TEAM_MODULE, label: 'Hidden visas', fields: [{ name: 'lastName', label: 'Last name', type: 'text', required: false }] } }), 'team module');
  hiddenRecord = must(await api.call('u-ops', 'POST', `/v1/records/${HIDDEN_TEAM_MODULE}`, { body: { fields: { lastName: 'Hidden' } } }), 'team record').id;
  othersRequest = must(await api.call('u-agent', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Agent asks', kind: 'Hotel' } } }), 'request').id;
  ownRequest = must(await api.call(GUEST, 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Guest asks', kind: 'Visa' } } }), 'own request').id;
});
afterAll(async () => {
  await api?.close();
});

describe('a guest on every route of the route table', () => {
  it('every route with a body has a probe body, and every route that requires a query a probe query', () => {
    expect(routes.filter((r) => r.body && !(r.operationId in BODIES)).map(routeKey)).toEqual([]);
    expect(routes.filter((r) => r.query && !r.query.safeParse({}).success && !(r.operationId in QUERIES)).map(routeKey)).toEqual([]);
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: the same answer for existing and missing org resources, never a 5xx', async (_, route) => {
    const answers = [];
    for (const fill of [existingLeads, existingCustom, existingTeamModule, missing]) {
      const res = await probe(route, fill(route));
      expect(res.status, `${fill === missing ? 'missing' : 'existing'}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      answers.push(res.status);
    }
    const [leads, custom, teamModule, absent] = answers;
    expect([leads, custom, teamModule], 'existing org resources (and another team module) answer as a missing one does').toEqual([absent, absent, absent]);
    // Public routes answer everyone; every other route the guest does not use refuses them.
    if (!(route.operationId in GUEST_ROUTES) && route.auth === 'jwt') expect(absent, 'a guest is refused').toBeGreaterThanOrEqual(400);
  });

  it.each(Object.entries(GUEST_ROUTES))('%s is the guest’s own: %j', async (operationId, { params, status, body }) => {
    const route = routes.find((r) => r.operationId === operationId);
    if (!route) throw new Error(`No route ${operationId}`);
    const res = await probe(route, params?.() ?? {});
    expect([status].flat(), JSON.stringify(res.body)).toContain(res.status);
    body?.(res.body);
  });
});
