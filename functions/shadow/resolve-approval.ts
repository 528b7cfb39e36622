import type { AppDeps } from '../../shared/adapters/deps.js';
import type { ApprovalProcessDefinition } from '../../shared/domain/approval/index.js';
import { getDefinitionVersion } from '../../shared/db/process-definitions-repo.js';
import type { OperationRequest } from '../../shared/http/operation.js';
import { approvalSpec } from '../processes/definitions.js';
import { NEW_DRAFT_ID, type Resolved } from './draft.js';
import { resolveProcessDraft } from './process-draft.js';
import type { ShadowRunBody } from './schemas.js';

/**
 * An approval process draft: the caller may define processes on its module (org admins; team admins for
 * their team modules), as editing it; the draft is validated as PUT validates it, and tried whether or not
 * it is marked active (trying it is the point); a saved process's published version replays beside it
 * when it is active (an inactive one started nothing).
 */
export const resolveApproval = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  const { saved, draft } = await resolveProcessDraft(req, deps, body, approvalSpec, { one: 'An approval process', kind: 'approval process' });
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
