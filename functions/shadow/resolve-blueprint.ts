import type { AppDeps } from '../../shared/adapters/deps.js';
import type { BlueprintDefinition } from '../../shared/domain/blueprint/index.js';
import { Invalid } from '../../shared/domain/errors.js';
import { loadBlueprintVersion } from '../../shared/db/blueprint-versions.js';
import { getModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { requireDefinition } from '../../shared/db/process-definitions-repo.js';
import type { OperationRequest } from '../../shared/http/operation.js';
import { blueprintSpec } from '../processes/definitions.js';
import { manageAccess, readAsMember } from '../processes/process-access.js';
import { asDraft, NEW_DRAFT_ID, type Resolved } from './draft.js';
import type { ShadowRunBody } from './schemas.js';

/**
 * A blueprint draft: the caller may define processes on its module (org admins; team admins for their
 * team modules), as editing it; the draft is validated as PUT validates it; a saved blueprint's published
 * version replays beside it.
 */
export const resolveBlueprint = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  const savedId = 'draftOf' in body ? body.draftOf : body.definitionId;
  const saved = savedId ? await readAsMember(req, deps, requireDefinition<BlueprintDefinition>(deps, 'blueprint', savedId)) : undefined;
  if (saved) await manageAccess(req, deps, saved.module);
  const draft = ('draft' in body ? body.draft : saved!.draft) as BlueprintDefinition;
  const { module } = await manageAccess(req, deps, draft.module);
  if ('draft' in body) {
    if (saved && draft.module !== saved.module) throw new Invalid('A blueprint stays on its module', [{ path: 'draft.module', message: `Must be ${saved.module}` }]);
    await asDraft(async () => {
      const errors = await blueprintSpec.validate(deps, draft, module, await getModuleProcesses(deps, module.name));
      if (errors.length > 0) throw new Invalid('Invalid blueprint', errors);
    });
  }
  const blueprintId = saved?.id ?? NEW_DRAFT_ID;
  const published = saved && saved.publishedVersion > 0 ? { version: saved.publishedVersion, definition: await loadBlueprintVersion(deps, saved.id, saved.publishedVersion) } : undefined;
  return {
    name: draft.name,
    module: draft.module,
    ...(saved ? { definitionId: saved.id } : {}),
    subject: { kind: 'blueprint', blueprintId, version: (saved?.publishedVersion ?? 0) + 1, definition: draft },
    ...(published ? { published: { version: published.version, subject: { kind: 'blueprint', blueprintId, version: published.version, definition: published.definition } } } : {}),
  };
};
