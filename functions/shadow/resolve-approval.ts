import type { AppDeps } from '../../shared/adapters/deps.js';
import type { ApprovalProcessDefinition } from '../../shared/domain/approval/index.js';
import { Invalid } from '../../shared/domain/errors.js';
import { getModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { getDefinitionVersion, requireDefinition } from '../../shared/db/process-definitions-repo.js';
import type { OperationRequest } from '../../shared/http/operation.js';
import { approvalSpec } from '../processes/definitions.js';
import { manageAccess, readAsMember } from '../processes/process-access.js';
import { asDraft, NEW_DRAFT_ID, type Resolved } from './draft.js';
import type { ShadowRunBody } from './schemas.js';

/**
 * An approval process draft: the caller may define processes on its module (org admins; team admins for
 * their team modules), as editing it; the draft is validated as PUT validates it, and tried whether or not
 * it is marked active (trying it is the point); a saved process's published version replays beside it
 * when it is active (an inactive one started nothing).
 */
export const resolveApproval = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  const savedId = 'draftOf' in body ? body.draftOf : body.definitionId;
  const saved = savedId ? await readAsMember(req, deps, requireDefinition<ApprovalProcessDefinition>(deps, 'approval-process', savedId)) : undefined;
  if (saved) await manageAccess(req, deps, saved.module);
  const draft = ('draft' in body ? body.draft : saved!.draft) as ApprovalProcessDefinition;
  const { module } = await manageAccess(req, deps, draft.module);
  if ('draft' in body) {
    if (saved && draft.module !== saved.module) throw new Invalid('An approval process stays on its module', [{ path: 'draft.module', message: `Must be ${saved.module}` }]);
    await asDraft(async () => {
      const errors = await approvalSpec.validate(deps, draft, module, await getModuleProcesses(deps, module.name));
      if (errors.length > 0) throw new Invalid('Invalid approval process', errors);
    });
  }
  const processId = saved?.id ?? NEW_DRAFT_ID;
  const published = saved && saved.publishedVersion > 0 ? await getDefinitionVersion<ApprovalProcessDefinition>(deps, 'approval-process', saved.id, saved.publishedVersion) : undefined;
  return {
    name: draft.name,
    module: draft.module,
    ...(saved ? { definitionId: saved.id } : {}),
    subject: { kind: 'approvalProcess', processId, version: (saved?.publishedVersion ?? 0) + 1, definition: draft },
    ...(published?.def.active ? { published: { version: published.version, subject: { kind: 'approvalProcess', processId, version: published.version, definition: published.def } } } : {}),
  };
};
