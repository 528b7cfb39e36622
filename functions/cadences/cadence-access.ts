import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideCadenceDefine, decideCadenceRead, type Principal } from '../../shared/domain/access/index.js';
import { validateCadence } from '../../shared/domain/cadence/validation.js';
import type { CadenceDefinition } from '../../shared/domain/cadence/definition.js';
import { getCadence, type CadenceItem } from '../../shared/db/cadences-repo.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';

/** The caller, allowed to read cadences (guests: 404) or, with `define`, to define them (members: 403). */
export const cadenceCaller = async (req: OperationRequest, deps: AppDeps, action: 'read' | 'define'): Promise<Principal> => {
  const principal = await loadPrincipal(deps, requireAuth(req));
  enforce(action === 'define' ? decideCadenceDefine(principal) : decideCadenceRead(principal), 'Not found');
  return principal;
};

export const requireCadence = async (deps: AppDeps, id: string): Promise<CadenceItem> => {
  const item = await getCadence(deps, id);
  if (!item) throw new NotFound(`No cadence ${id}`);
  return item;
};

/** A definition that parsed is checked against its module's fields: a 400 naming each path at fault. */
export const checkDefinition = async (deps: AppDeps, definition: CadenceDefinition): Promise<void> => {
  const module = await getModule(deps, definition.module);
  if (!module) throw new Invalid('Invalid cadence', [{ path: 'module', message: `No module ${definition.module}` }]);
  const errors = validateCadence(definition, module);
  if (errors.length > 0) throw new Invalid('Invalid cadence', errors);
};
