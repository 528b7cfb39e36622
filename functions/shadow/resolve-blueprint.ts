import type { AppDeps } from '../../shared/adapters/deps.js';
import { loadBlueprintVersion } from '../../shared/db/blueprint-versions.js';
import type { OperationRequest } from '../../shared/http/operation.js';
import { blueprintSpec } from '../processes/definitions.js';
import { NEW_DRAFT_ID, type Resolved } from './draft.js';
import { resolveProcessDraft } from './process-draft.js';
import type { ShadowRunBody } from './schemas.js';

/**
 * A blueprint draft: the caller may define processes on its module (org admins; team admins for their
 * team modules), as editing it; the draft is validated as PUT validates it; a saved blueprint's published
 * version replays beside it.
 */
export const resolveBlueprint = async (req: OperationRequest, deps: AppDeps, body: ShadowRunBody): Promise<Resolved> => {
  const { saved, draft } = await resolveProcessDraft(req, deps, body, blueprintSpec, { one: 'A blueprint', kind: 'blueprint' });
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
