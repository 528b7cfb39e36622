import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * Every list pages the same way: `limit`, `cursor`, `{ items, nextCursor }`, and a `nextCursor` only
 * when the next page has items (so walking a list never ends on an empty page).
 */
let api: E2eApi;
let patched = '';
const must = async (p: Promise<{ status: number; body: any }>, what: string) => {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

beforeAll(async () => {
  api = await startE2eApi();
  for (let i = 0; i < 3; i++) {
    await must(api.call('u-admin', 'POST', '/v1/modules', { body: { name: `Paged${i}`, label: `Paged ${i}`, fields: [{ name: 'title', label: 'Title', type: 'text', required: false }] } }), 'module');
  }
  for (let i = 0; i < 4; i++) {
    await must(api.call('u-admin', 'POST', '/v1/users', { body: { id: `u-paged${i}`, email: `paged${i}@keiro.example`, name: `Paged ${i}`, orgRole: 'member' } }), 'user');
    await must(api.call('u-ops', 'PUT', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requesters/u-paged${i}`), 'requester');
  }
  for (let i = 0; i < 4; i++) await must(api.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: `Twin${i}`, phone: '03-9999-0000' } } }), 'lead');
  for (let i = 0; i < 4; i++) await must(api.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: `Even${i}`, industry: 'Public Sector' } } }), 'lead');
  patched = (await must(api.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Patched' } } }), 'lead')).id;
  for (let i = 0; i < 3; i++) await must(api.call('u-agent', 'PATCH', `/v1/records/Leads/${patched}`, { body: { fields: { company: `Co ${i}` } } }), 'patch');
});
afterAll(async () => {
  await api?.close();
});

const withCursor = (path: string, cursor: string) => `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

/** Walks a list to its end (bounded) and returns its pages. */
const walk = async (user: string, path: string) => {
  const pages: unknown[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const res = await api.call<any>(user, 'GET', cursor ? withCursor(path, cursor) : path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(res.body.nextCursor ? ['items', 'nextCursor'] : ['items']);
    pages.push(res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return pages;
  }
  throw new Error(`${path}: no end after 100 pages`);
};

describe('lists page with limit and cursor, and never end on an empty page', () => {
  const LISTS: Array<[string, string, string]> = [
    ['modules', 'u-admin', '/v1/modules'],
    ['team module requesters', 'u-ops', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requesters`],
    ['record lookup', 'u-agent', '/v1/records/Leads/lookup?field=phone&value=03-9999-0000'],
    ['records with a filter', 'u-agent', '/v1/records/Leads?filter[industry]=Public%20Sector'],
    ['users', 'u-admin', '/v1/users'],
    ['record history', 'u-admin', '/v1/records/Leads/{patched}/history'],
  ];

  it.each(LISTS)('%s: limit=1 and limit=2 walk every item once, pages of at most limit, none empty', async (_, user, template) => {
    const path = template.replace('{patched}', patched);
    const all = (await walk(user, `${path}${path.includes('?') ? '&' : '?'}limit=200`)).flat();
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const limit of [1, 2, all.length]) {
      const pages = await walk(user, `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`);
      expect(pages.every((p) => p.length > 0 && p.length <= limit), JSON.stringify(pages.map((p) => p.length))).toBe(true);
      expect(pages.flat()).toEqual(all);
    }
  });

  it.each(LISTS)('%s: limit out of range is 400', async (_, user, template) => {
    const path = template.replace('{patched}', patched);
    for (const limit of ['0', '201', 'x']) {
      const res = await api.call<any>(user, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('limit');
    }
  });

  it('a forged cursor on the modules list is 400, not a 500', async () => {
    const res = await api.call<any>('u-admin', 'GET', '/v1/modules?cursor=not-a-cursor');
    expect(res.status).toBe(400);
  });
});
