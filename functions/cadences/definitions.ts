import { insertCadence, listCadences, saveCadenceVersion, CadenceChanged, toCadenceView } from '../../shared/db/cadences-repo.js';
import { etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { cadenceCaller, checkDefinition, requireCadence } from './cadence-access.js';
import { cadencesRoutes } from './routes.js';
import { Conflict } from '../../shared/domain/errors.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';

/**
 * Define a cadence.
 * 1. The caller must be an org admin.
 * 2. The body parsed (schema); check it against the module's fields (400 with paths).
 * 3. One transaction: the cadence (inactive, version 1), its version 1, its empty report.
 */
export const createCadenceOperation = implement(cadencesRoutes.createCadence, async (req, deps) => {
  await cadenceCaller(req, deps, 'define');
  await checkDefinition(deps, req.body);
  const item = await insertCadence(deps, deps.newId(), req.body, requireAuth(req).userId);
  return json(201, toCadenceView(item), { ETag: etag(item.version), Location: `/v1/cadences/${item.id}` });
});

/** List cadences (members and admins), by name. */
export const listCadencesOperation = implement(cadencesRoutes.listCadences, async (req, deps) => {
  await cadenceCaller(req, deps, 'read');
  const page = await listCadences(deps, req.query.limit, req.query.cursor);
  return json(200, { items: page.items.map(toCadenceView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/** Read a cadence (members and admins). */
export const getCadenceOperation = implement(cadencesRoutes.getCadence, async (req, deps) => {
  await cadenceCaller(req, deps, 'read');
  const item = await requireCadence(deps, req.params.id);
  return json(200, toCadenceView(item), { ETag: etag(item.version) });
});

/**
 * Edit a cadence: a new version.
 * 1. Org admin; the cadence exists; If-Match (if sent) holds for its version (412).
 * 2. Check the definition against its module; the module cannot change (enrollments are of records of it).
 * 3. One conditional transaction: the cadence moves to version n+1, version n+1 is stored; enrollments
 *    in flight keep reading the version they were enrolled with. Without If-Match a lost race saves again.
 */
export const putCadenceOperation = implement(cadencesRoutes.putCadence, async (req, deps) => {
  await cadenceCaller(req, deps, 'define');
  const ifMatch = parseIfMatch(req.headers['if-match']);
  await checkDefinition(deps, req.body);
  for (let attempt = 1; ; attempt++) {
    const current = await requireCadence(deps, req.params.id);
    assertIfMatch(ifMatch, current.version);
    if (req.body.module !== current.definition.module) throw new Conflict('A cadence keeps its module', [{ path: 'module', message: `This cadence is on ${current.definition.module}` }]);
    try {
      const next = await saveCadenceVersion(deps, current, req.body, requireAuth(req).userId);
      return json(200, toCadenceView(next), { ETag: etag(next.version) });
    } catch (error) {
      if (!(error instanceof CadenceChanged)) throw error;
      if (attempt >= 5) throw new Conflict('The cadence keeps changing; read it again');
    }
  }
});
