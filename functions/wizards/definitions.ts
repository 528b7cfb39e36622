import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideModuleManage, decideModuleRead, decideRecordAccess, type Principal } from '../../shared/domain/access/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import type { WizardDefinition } from '../../shared/domain/wizard/definition.js';
import { validateWizardDefinition } from '../../shared/domain/wizard/validate.js';
import { definitionFromItem, listDefinitions, replaceDefinition, requireDefinition, saveDefinition, type StoredDefinition } from '../../shared/db/definitions-repo.js';
import { loadDefinitionAccess } from '../../shared/db/definition-access.js';
import { definitionKeys } from '../../shared/db/keys.js';
import { getModule, listModules } from '../../shared/db/modules-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { wizardsRoutes } from './routes.js';
import type { WizardView } from './schemas.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';

export const toWizardView = (stored: StoredDefinition<WizardDefinition>): WizardView => ({
  id: stored.id,
  name: stored.name,
  module: stored.definition.module,
  version: stored.version,
  definition: stored.definition,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
});

/** The module a definition names: a 400 at `module` when there is none the caller can see. */
const moduleOfDefinition = async (deps: AppDeps, principal: Principal, name: string): Promise<ModuleMetadata> => {
  const module = await getModule(deps, name);
  if (!module || !decideModuleRead(principal, module).allowed) throw new Invalid('Invalid wizard', [{ path: 'module', message: `No module ${name}` }]);
  return module;
};

/** Checks a definition against its module (400 with the paths at fault) and that the caller administers the module. */
const checkDefinition = async (deps: AppDeps, principal: Principal, definition: WizardDefinition): Promise<void> => {
  const module = await moduleOfDefinition(deps, principal, definition.module);
  enforce(decideModuleManage(principal, module), `No module ${module.name}`);
  const errors = validateWizardDefinition(definition, module, deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid wizard', errors);
};

/**
 * Define a wizard.
 * 1. The module exists and the caller administers it (org admin; a team's admin for its modules).
 * 2. The definition is checked against the module (fields, rules, reachability): 400 with paths.
 * 3. Version 1 is saved with its history entry.
 */
export const createWizardOperation = implement(wizardsRoutes.createWizard, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  await checkDefinition(deps, principal, req.body);
  const stored = await saveDefinition(deps, 'wizard', deps.newId(), req.body, undefined, changeContext(req, deps));
  return json(201, toWizardView(stored), { ETag: etag(stored.version), Location: `/v1/wizards/${stored.id}` });
});

/** A wizard the caller may see (its module is readable to them), else 404. */
export const requireVisibleWizard = async (deps: AppDeps, principal: Principal, id: string): Promise<StoredDefinition<WizardDefinition>> => {
  const stored = await requireDefinition<WizardDefinition>(deps, 'wizard', id);
  const module = await getModule(deps, stored.definition.module);
  if (!module || !decideModuleRead(principal, module).allowed) throw new NotFound(`No wizard ${id}`);
  return stored;
};

/**
 * A wizard the caller may run, with the caller and its module, in one batch (loadDefinitionAccess): they
 * see its module (else 404 for the wizard) and may create records there (else 403/404, as moduleAccess).
 */
export const loadRunnableWizard = async (req: OperationRequest, deps: AppDeps, id: string): Promise<{ principal: Principal; module: ModuleMetadata; stored: StoredDefinition<WizardDefinition> }> => {
  const notFound = `No wizard ${id}`;
  const { context, definition } = await loadDefinitionAccess(deps, requireAuth(req), definitionKeys.current('wizard', id), (item) => definitionFromItem<WizardDefinition>(deps, item).definition.module, notFound);
  const { principal, module } = context;
  if (!module || !decideModuleRead(principal, module).allowed) throw new NotFound(notFound);
  enforce(decideRecordAccess(principal, module, 'create'), `No module ${module.name}`);
  return { principal, module, stored: definitionFromItem<WizardDefinition>(deps, definition) };
};

export const getWizardOperation = implement(wizardsRoutes.getWizard, async (req, deps) => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  const stored = await requireVisibleWizard(deps, principal, req.params.id);
  return json(200, toWizardView(stored), { ETag: etag(stored.version) });
});

/** Wizards whose module the caller may create records in (what they could run). */
export const listWizardsOperation = implement(wizardsRoutes.listWizards, async (req, deps) => {
  const [principal, modules, page] = await Promise.all([
    loadPrincipal(deps, requireAuth(req)),
    listModules(deps),
    listDefinitions<WizardDefinition>(deps, 'wizard', req.query.limit ?? 50, req.query.cursor),
  ]);
  const byName = new Map(modules.map((m) => [m.name, m]));
  const runnable = (stored: StoredDefinition<WizardDefinition>) => {
    const module = byName.get(stored.definition.module);
    return module !== undefined && decideModuleRead(principal, module).allowed && decideRecordAccess(principal, module, 'create').allowed;
  };
  return json(200, { items: page.items.filter(runnable).map(toWizardView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/**
 * Save a new version of a wizard.
 * 1. The definition is checked as at create (the caller administers its module).
 * 2. The caller administers the current version's module too (a wizard cannot be taken from a module they do not run).
 * 3. With If-Match, another current version is 412; without, a lost race saves again. Sessions in flight keep their version.
 */
export const putWizardOperation = implement(wizardsRoutes.putWizard, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const principal = await loadPrincipal(deps, requireAuth(req));
  await checkDefinition(deps, principal, req.body);
  const stored = await replaceDefinition(deps, 'wizard', req.params.id, req.body, ifMatch, changeContext(req, deps), async (current) => {
    const module = await getModule(deps, current.definition.module);
    if (!module || !decideModuleRead(principal, module).allowed) throw new NotFound(`No wizard ${req.params.id}`);
    enforce(decideModuleManage(principal, module), `No wizard ${req.params.id}`);
  });
  return json(200, toWizardView(stored), { ETag: etag(stored.version) });
});
