import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE } from '../../../infra/local/seed-teams.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * What you read is what you write (issue 15 §5): for every kind of definition, the body GET answers
 * is taken back by PUT unchanged with If-Match, and the definition stays as it was (only the version
 * moves). Metadata beside the definition is read-only: sent or not, in any order, it changes nothing.
 */

type Body = Record<string, unknown>;

interface Kind {
  name: string;
  /** The paths of the seeded definitions of this kind. */
  paths: (api: E2eApi) => Promise<string[]>;
  /** Where GET puts the definition: under a key, or merged with the metadata at the top level. */
  key?: string;
  /** The view's fields that are not the definition (merged kinds). */
  metadata?: string[];
  /** The field that carries the version (the ETag). */
  versionField: string;
}

const listed = (collection: string, item: (i: Body) => string = (i) => `${collection}/${String(i.id)}`) => async (api: E2eApi) => {
  const page = await api.call<{ items: Body[] }>('u-admin', 'GET', `${collection}?limit=200`);
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return page.body.items.map(item);
};

const KINDS: Kind[] = [
  { name: 'wizard', paths: listed('/v1/wizards'), key: 'definition', versionField: 'version' },
  { name: 'kiosk', paths: listed('/v1/kiosks'), key: 'definition', versionField: 'version' },
  { name: 'journey', paths: listed('/v1/journeys'), key: 'definition', versionField: 'version' },
  { name: 'blueprint', paths: listed('/v1/blueprints'), key: 'draft', versionField: 'revision' },
  { name: 'approval process', paths: listed('/v1/approval-processes'), key: 'draft', versionField: 'revision' },
  { name: 'review process', paths: listed('/v1/review-processes'), key: 'draft', versionField: 'revision' },
  { name: 'workflow rule', paths: listed('/v1/workflow-rules'), metadata: ['id', 'version', 'createdBy', 'createdAt', 'updatedAt'], versionField: 'version' },
  { name: 'cadence', paths: listed('/v1/cadences'), metadata: ['id', 'version', 'active', 'createdAt', 'updatedAt'], versionField: 'version' },
  {
    name: 'team module (its request form)',
    paths: async () => [`/v1/modules/${ARRANGEMENTS_MODULE}`],
    metadata: ['name', 'ownerTeamId', 'kind', 'version', 'createdAt', 'updatedAt'],
    versionField: 'version',
  },
  { name: 'lead-conversion mapping', paths: async () => ['/v1/settings/lead-conversion'], metadata: ['version'], versionField: 'version' },
  { name: 'assignment rules', paths: async () => [`/v1/team-modules/${ARRANGEMENTS_MODULE}/assignment-rules`], key: 'assignment', versionField: 'version' },
];

/** The definition inside a view, as GET answers it. */
const definitionOf = (kind: Kind, view: Body): unknown =>
  kind.key ? view[kind.key] : Object.fromEntries(Object.entries(view).filter(([k]) => !kind.metadata?.includes(k)));

/** How a client may send the body back: as read, without some metadata, in another key order, or the definition alone. */
const variation = fc.record({ form: fc.constantFrom('as read', 'some metadata dropped', 'definition alone'), dropSeed: fc.integer(), reversed: fc.boolean() });

const bodyToSend = (kind: Kind, view: Body, v: { form: string; dropSeed: number; reversed: boolean }): Body => {
  const definitionKeys = new Set(Object.keys(kind.key ? {} : (definitionOf(kind, view) as Body)));
  let entries = Object.entries(view);
  if (v.form === 'some metadata dropped') entries = entries.filter(([k], i) => k === kind.key || definitionKeys.has(k) || ((v.dropSeed >> i) & 1) === 0);
  if (v.form === 'definition alone') entries = Object.entries(definitionOf(kind, view) as Body);
  return Object.fromEntries(v.reversed ? entries.reverse() : entries);
};

describe('GET → PUT round trip of every kind of definition', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi();
  });
  afterAll(async () => api?.close());

  it.each(KINDS.map((k) => [k.name, k] as const))('%s: the body GET answers goes back through PUT with If-Match, and the definition stays as it was', async (_name, kind) => {
    const paths = await kind.paths(api);
    expect(paths.length, `the demo seeds at least one ${kind.name}`).toBeGreaterThan(0);
    for (const path of paths) {
      await fc.assert(
        fc.asyncProperty(variation, async (v) => {
          const read = await api.call<Body>('u-admin', 'GET', path);
          expect(read.status, JSON.stringify(read.body)).toBe(200);
          const etag = read.headers.get('etag') ?? '';
          expect(etag).toBe(`"${String(read.body[kind.versionField])}"`);
          const put = await api.call<Body>('u-admin', 'PUT', path, { body: bodyToSend(kind, read.body, v), headers: { 'If-Match': etag } });
          expect(put.status, `${path} ${v.form}: ${JSON.stringify(put.body)}`).toBe(200);
          expect(definitionOf(kind, put.body)).toEqual(definitionOf(kind, read.body));
          expect(put.body[kind.versionField]).toBe(Number(read.body[kind.versionField]) + 1);
          expect(put.headers.get('etag')).toBe(`"${String(put.body[kind.versionField])}"`);
          const reread = await api.call<Body>('u-admin', 'GET', path);
          expect(definitionOf(kind, reread.body)).toEqual(definitionOf(kind, read.body));
        }),
        { numRuns: 3 },
      );
    }
  });

  it('read-only metadata is ignored, not a precondition: a stale version in the body with a current If-Match saves; a stale If-Match is 412', async () => {
    const [path] = await listed('/v1/wizards')(api);
    const read = await api.call<Body>('u-admin', 'GET', path as string);
    const body = { ...read.body, id: 'not-this-one', version: 1, name: 'Not the name either' };
    const put = await api.call<Body>('u-admin', 'PUT', path as string, { body, headers: { 'If-Match': read.headers.get('etag') ?? '' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ id: read.body.id, name: (read.body.definition as Body).name, version: Number(read.body.version) + 1 });
    const stale = await api.call('u-admin', 'PUT', path as string, { body: read.body, headers: { 'If-Match': read.headers.get('etag') ?? '' } });
    expect(stale.status).toBe(412);
  });

  it('errors name the paths of the form sent: under definition. for the GET body, bare for the flat body; unknown keys are refused', async () => {
    const [path] = await listed('/v1/kiosks')(api);
    const read = await api.call<Body>('u-admin', 'GET', path as string);
    const definition = read.body.definition as Body;
    const headers = { 'If-Match': read.headers.get('etag') ?? '' };
    const wrapped = await api.call('u-admin', 'PUT', path as string, { body: { ...read.body, definition: { ...definition, name: 42 } }, headers });
    expect(wrapped.status).toBe(400);
    expect(wrapped.body.errors).toEqual([expect.objectContaining({ path: 'definition.name' })]);
    const flat = await api.call('u-admin', 'PUT', path as string, { body: { ...definition, name: 42 }, headers });
    expect(flat.status).toBe(400);
    expect(flat.body.errors).toEqual([expect.objectContaining({ path: 'name' })]);
    const typo = await api.call('u-admin', 'PUT', path as string, { body: { ...read.body, definitoin: definition }, headers });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body.errors)).toContain('definitoin');
    const typedMetadata = await api.call('u-admin', 'PUT', path as string, { body: { ...read.body, version: 'three' }, headers });
    expect(typedMetadata.status).toBe(400);
    expect(typedMetadata.body.errors).toEqual([expect.objectContaining({ path: 'version' })]);
    expect((await api.call<Body>('u-admin', 'GET', path as string)).body.version).toBe(read.body.version);
  });
});
