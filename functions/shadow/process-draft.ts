import type { AppDeps } from '../../shared/adapters/deps.js';
import { Invalid } from '../../shared/domain/errors.js';
import { getModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { requireDefinition, type DefinitionHead } from '../../shared/db/process-definitions-repo.js';
import type { OperationRequest } from '../../shared/http/operation.js';
import type { KindSpec } from '../processes/definitions.js';
import { manageAccess, readAsMember } from '../processes/process-access.js';
import { asDraft } from './draft.js';
import type { ShadowRunBody } from './schemas.js';

/**
 * A blueprint's or approval process's draft for a shadow run: the saved definition it edits, if any (the
 * caller may read it and define processes on its module, as editing it), and the draft itself, which the
 * caller may define on its module. A draft sent in the body stays on the saved one's module and is
 * validated as PUT validates it (errors at `draft.…`).
 */
export const resolveProcessDraft = async <D extends { name: string; module: string }>(
  req: OperationRequest,
  deps: AppDeps,
  body: ShadowRunBody,
  spec: KindSpec<D>,
  names: { one: string; kind: string },
): Promise<{ saved?: DefinitionHead<D>; draft: D }> => {
  const savedId = 'draftOf' in body ? body.draftOf : body.definitionId;
  const saved = savedId ? await readAsMember(req, deps, requireDefinition<D>(deps, spec.kind, savedId)) : undefined;
  if (saved) await manageAccess(req, deps, saved.module);
  const draft = ('draft' in body ? body.draft : saved!.draft) as D;
  const { module } = await manageAccess(req, deps, draft.module);
  if ('draft' in body) {
    if (saved && draft.module !== saved.module) throw new Invalid(`${names.one} stays on its module`, [{ path: 'draft.module', message: `Must be ${saved.module}` }]);
    await asDraft(async () => {
      const errors = await spec.validate(deps, draft, module, await getModuleProcesses(deps, module.name));
      if (errors.length > 0) throw new Invalid(`Invalid ${names.kind}`, errors);
    });
  }
  return { ...(saved ? { saved } : {}), draft };
};
