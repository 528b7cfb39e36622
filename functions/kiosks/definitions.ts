import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideOrgMetadataChange, isAdmin, type Principal } from '../../shared/domain/access/index.js';
import type { KioskDefinition } from '../../shared/domain/kiosk/definition.js';
import { validateKioskDefinition } from '../../shared/domain/kiosk/validate.js';
import { listDefinitions, replaceDefinition, requireDefinition, saveDefinition, type StoredDefinition } from '../../shared/db/definitions-repo.js';
import { listModules } from '../../shared/db/modules-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { kiosksRoutes } from './routes.js';
import type { KioskView } from './schemas.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';

const toKioskView = (stored: StoredDefinition<KioskDefinition>): KioskView => ({
  id: stored.id,
  name: stored.name,
  version: stored.version,
  definition: stored.definition,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
});

/** Who may run a kiosk is part of its definition: org roles, users or team members; org admins always may. */
export const mayRun = (principal: Principal, def: KioskDefinition): boolean =>
  isAdmin(principal) ||
  def.runners.orgRoles.includes(principal.orgRole) ||
  def.runners.users.includes(principal.userId) ||
  def.runners.teams.some((team) => principal.teamRoles[team] !== undefined);

/** A kiosk the caller may run (or administer); anyone else gets 404, as if it did not exist. */
export const requireRunnableKiosk = async (deps: AppDeps, principal: Principal, id: string): Promise<StoredDefinition<KioskDefinition>> => {
  const stored = await requireDefinition<KioskDefinition>(deps, 'kiosk', id);
  if (!mayRun(principal, stored.definition)) throw new NotFound(`No kiosk ${id}`);
  return stored;
};

/** Kiosks span modules, so only org admins define them; the definition is checked against the modules (400 with paths). */
const checkDefinition = async (deps: AppDeps, principal: Principal, definition: KioskDefinition): Promise<void> => {
  enforce(decideOrgMetadataChange(principal));
  const modules = new Map((await listModules(deps)).map((m) => [m.name, m]));
  const errors = validateKioskDefinition(definition, (name) => modules.get(name));
  if (errors.length > 0) throw new Invalid('Invalid kiosk', errors);
};

/**
 * Define a kiosk.
 * 1. The caller is an org admin (403 otherwise).
 * 2. The graph is checked: edges, ends, loops, modules, fields, references (400 with paths).
 * 3. Version 1 is saved with its history entry.
 */
export const createKioskOperation = implement(kiosksRoutes.createKiosk, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  await checkDefinition(deps, principal, req.body);
  const stored = await saveDefinition(deps, 'kiosk', deps.newId(), req.body, undefined, changeContext(req, deps));
  return json(201, toKioskView(stored), { ETag: etag(stored.version), Location: `/v1/kiosks/${stored.id}` });
});

export const listKiosksOperation = implement(kiosksRoutes.listKiosks, async (req, deps) => {
  const [principal, page] = await Promise.all([loadPrincipal(deps, requireAuth(req)), listDefinitions<KioskDefinition>(deps, 'kiosk', req.query.limit ?? 50, req.query.cursor)]);
  return json(200, { items: page.items.filter((k) => mayRun(principal, k.definition)).map(toKioskView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getKioskOperation = implement(kiosksRoutes.getKiosk, async (req, deps) => {
  const stored = await requireRunnableKiosk(deps, await loadPrincipal(deps, requireAuth(req)), req.params.id);
  return json(200, toKioskView(stored), { ETag: etag(stored.version) });
});

/**
 * Save a new version of a kiosk (org admin); with If-Match, another current version is 412, without
 * it a lost race saves again. Runs in flight keep the version they started on.
 */
export const putKioskOperation = implement(kiosksRoutes.putKiosk, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const principal = await loadPrincipal(deps, requireAuth(req));
  await requireRunnableKiosk(deps, principal, req.params.id);
  await checkDefinition(deps, principal, req.body);
  const stored = await replaceDefinition(deps, 'kiosk', req.params.id, req.body, ifMatch, changeContext(req, deps));
  return json(200, toKioskView(stored), { ETag: etag(stored.version) });
});
