import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { expectWriteAnswered, fieldsFor, NUMBER_LIMIT_TEXTS, RawNumber, toJsonText, type FieldMeta } from '../../support/field-arbitraries.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
  for (const title of ['one', 'two', 'three']) {
    const res = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title, kind: 'Flight' } } });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await api?.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Lists a front-end pages through, with a caller who may read each. */
const lists: Array<[string, string]> = [
  ['u-requester', '/v1/my-requests'],
  ['u-ops', '/v1/notifications'],
  ['u-admin', '/v1/team-spaces'],
  ['u-ops', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/history`],
  ['u-ops', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`],
  ['u-ops', `/v1/records/${ARRANGEMENTS_MODULE}/kanban?groupBy=kind&column=Flight`],
];

const withCursor = (path: string, cursor: string) => `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

describe('cursors: a forged cursor, or one from another list, is a 400 problem, never a 5xx', () => {
  it('property: any JSON object as a cursor is 200 or 400 on every team and request list', async () => {
    const key = fc.oneof(fc.constantFrom('PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'), fc.string({ maxLength: 8 }));
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'REQUESTS#Arrangements', 'TEAM#x'), fc.integer(), fc.double(), fc.constant(2 ** 64), fc.constant(null), fc.jsonValue({ maxDepth: 1 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), fc.oneof(fc.dictionary(key, value, { maxKeys: 5 }), fc.jsonValue({ maxDepth: 2 })), async ([who, path], cursor) => {
        const res = await api.call(who, 'GET', withCursor(path, b64(cursor)));
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(res.body.errors[0].path).toBe('cursor');
      }),
      { numRuns: 80 },
    );
  });

  it("a cursor of one list used on another (My Requests' on the team queue, one kanban column's on another) is 400", async () => {
    const mine = await api.call('u-requester', 'GET', '/v1/my-requests?limit=1');
    expect(mine.body.nextCursor).toEqual(expect.any(String));
    const queue = await api.call('u-ops', 'GET', withCursor(`/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, mine.body.nextCursor));
    expect(queue.status).toBe(400);

    const kanban = await api.call('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/kanban?groupBy=kind&limit=1`);
    const flight = kanban.body.columns.find((c: { value: string }) => c.value === 'Flight');
    expect(flight.nextCursor).toEqual(expect.any(String));
    const hotel = await api.call('u-ops', 'GET', withCursor(`/v1/records/${ARRANGEMENTS_MODULE}/kanban?groupBy=kind&column=Hotel`, flight.nextCursor));
    expect(hotel.status).toBe(400);
    expect(hotel.headers.get('content-type')).toContain('application/problem+json');

    const next = await api.call('u-ops', 'GET', withCursor(`/v1/records/${ARRANGEMENTS_MODULE}/kanban?groupBy=kind&column=Flight&limit=1`, flight.nextCursor));
    expect(next.status).toBe(200);
    expect(next.body.columns[0].records[0].id).not.toBe(flight.records[0].id);
  });

  it('pages of My Requests still follow each other with the cursors the API returns', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.call('u-requester', 'GET', cursor ? withCursor('/v1/my-requests?limit=2', cursor) : '/v1/my-requests?limit=2');
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });
});

describe('bad input to team and request commands is a 4xx problem with field paths, never a 5xx', () => {
  const T = OPERATIONS_TEAM_ID;
  const fieldNames = ['title', 'kind', 'travelApplicationRef', 'destination', 'neededBy', 'travellers', 'budget', 'priority', 'details', 'requestStatus', 'assigneeId', 'nope'];
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const cases: Array<{ name: string; who: string; method: string; path: () => string; body: fc.Arbitrary<unknown>; ok: number[] }> = [
    { name: 'submit a request', who: 'u-requester', method: 'POST', path: () => `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, body: fc.oneof(fc.record({ fields: fc.dictionary(fc.constantFrom(...fieldNames), fc.jsonValue({ maxDepth: 2 })) }), anyJson), ok: [201] },
    { name: 'handle a request', who: 'u-ops', method: 'PATCH', path: () => `/v1/requests/${requestId}`, body: fc.oneof(fc.record({ status: fc.oneof(fc.constantFrom('In Progress', 'Done', 'Rejected', 'Submitted'), anyJson), assigneeId: fc.oneof(fc.constantFrom('u-ops', 'u-agent', 'u-requester', null), fc.string()), comment: fc.oneof(fc.string(), anyJson) }, { requiredKeys: [] }), anyJson), ok: [200] },
    { name: 'set a member', who: 'u-ops', method: 'PUT', path: () => `/v1/team-spaces/${T}/members/u-manager`, body: fc.oneof(fc.record({ role: fc.oneof(fc.constantFrom('admin', 'manager', 'member', 'participant'), anyJson) }), anyJson), ok: [200] },
    { name: 'set the tabs', who: 'u-ops', method: 'PUT', path: () => `/v1/team-spaces/${T}/tabs`, body: fc.oneof(fc.record({ tabs: fc.array(fc.oneof(fc.constantFrom('Leads', 'Deals', 'Arrangements', 'Nope'), fc.string()), { maxLength: 4 }) }), anyJson), ok: [200] },
    {
      name: 'set assignment rules',
      who: 'u-ops',
      method: 'PUT',
      path: () => `/v1/team-modules/${ARRANGEMENTS_MODULE}/assignment-rules`,
      body: fc.oneof(
        fc.record(
          {
            criteria: fc.array(fc.record({ when: fc.record({ all: fc.array(fc.record({ field: fc.constantFrom(...fieldNames), op: fc.constantFrom('eq', 'in', 'gt', 'contains', 'isEmpty', 'withinLastDays', 'bogus'), value: fc.oneof(fc.constantFrom('Hotel', 'High', 3, ['Hotel']), fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(...NUMBER_LIMIT_TEXTS).map((t) => new RawNumber(t))) }, { requiredKeys: ['field', 'op'] }), { maxLength: 3 }) }), assignTo: fc.constantFrom('u-ops', 'u-agent', 'x') }), { maxLength: 3 }),
            otherwise: fc.oneof(fc.constant({ kind: 'round-robin' }), fc.record({ kind: fc.constant('round-robin'), among: fc.array(fc.constantFrom('u-ops', 'u-x'), { maxLength: 2 }) }), fc.record({ kind: fc.constant('user'), userId: fc.constantFrom('u-ops', 'u-agent') }), anyJson),
          },
          { requiredKeys: [] },
        ),
        anyJson,
      ),
      ok: [200],
    },
    { name: 'create a team space', who: 'u-admin', method: 'POST', path: () => '/v1/team-spaces', body: fc.oneof(fc.record({ name: fc.string(), tabs: fc.array(fc.constantFrom('Leads', 'Arrangements', 'x'), { maxLength: 3 }), members: fc.array(fc.record({ userId: fc.constantFrom('u-agent', 'u-nobody', 'u-agent'), role: fc.constantFrom('admin', 'boss') }), { maxLength: 3 }) }, { requiredKeys: [] }), anyJson), ok: [201] },
  ];
  let requestId = '';

  beforeAll(async () => {
    const res = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Fuzz', kind: 'Visa' } } });
    requestId = res.body.id;
  });

  for (const c of cases) {
    it(`property: ${c.name}`, async () => {
      await fc.assert(
        fc.asyncProperty(c.body, async (body) => {
          const res = await api.call<any>(c.who, c.method, c.path(), { body: toJsonText(body) });
          expect([...c.ok, 400, 403, 404, 409, 412, 422]).toContain(res.status);
          if (res.status === 400) {
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            expect(res.body.errors.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});

describe('Idempotency-Key replays of a refusal', () => {
  it('a replayed 4xx is the same application/problem+json the first answer was', async () => {
    const send = () =>
      api.call('u-requester', 'POST', '/v1/team-modules/NoSuchModule/requests', { body: { fields: { title: 'Nowhere' } }, headers: { 'idempotency-key': 'refused-once' } });
    const first = await send();
    expect(first.status).toBe(404);
    expect(first.headers.get('content-type')).toContain('application/problem+json');
    const replay = await send();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.status).toBe(404);
    expect(replay.headers.get('content-type')).toContain('application/problem+json');
    expect(replay.body).toEqual(first.body);
  });
});

describe('request values drawn by field type from the team module metadata never become a 5xx', () => {
  let formFields: FieldMeta[] = [];
  let moduleFields: FieldMeta[] = [];
  let requestId = '';

  beforeAll(async () => {
    const form = await api.call<any>('u-requester', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/request-form`);
    expect(form.status).toBe(200);
    formFields = form.body.fields;
    const module = await api.call<any>('u-ops', 'GET', `/v1/modules/${ARRANGEMENTS_MODULE}`);
    expect(module.status).toBe(200);
    moduleFields = module.body.fields;
    const res = await api.call<any>('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Typed fuzz', kind: 'Hotel' } } });
    requestId = res.body.id;
  });


  it('property: a requester submits typed and hostile values (request form metadata): 201 or a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constant(null).chain(() => fieldsFor(formFields, 'create')), async (fields) => {
        const res = await api.call<any>('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: toJsonText({ fields }) });
        expectWriteAnswered(res, 201, fields);
      }),
      { numRuns: 70 },
    );
  });

  it('property: the team updates a request record with typed and hostile values (module metadata): 200 or a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constant(null).chain(() => fieldsFor(moduleFields, 'patch')), async (fields) => {
        const res = await api.call<any>('u-ops', 'PATCH', `/v1/records/${ARRANGEMENTS_MODULE}/${requestId}`, { body: toJsonText({ fields }) });
        expectWriteAnswered(res, 200, fields);
      }),
      { numRuns: 70 },
    );
  });
});
