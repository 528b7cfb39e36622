import { Invalid } from '../../shared/domain/errors.js';
import type { ShadowSubject } from '../../shared/domain/shadow/engine.js';

/** The id a draft that edits no saved definition replays under. */
export const NEW_DRAFT_ID = 'draft';

/** A draft's validation errors at `draft.…`, where the body sent it (the kind's own checks, run as its PUT runs them). */
export const asDraft = async (check: () => Promise<void>): Promise<void> => {
  await check().catch((error: unknown) => {
    if (error instanceof Invalid) throw new Invalid(error.message, error.errors.map((e) => ({ path: e.path ? `draft.${e.path}` : 'draft', message: e.message })));
    throw error;
  });
};

/** A draft resolved for its run: what it replays, and the published version that replays beside it. */
export interface Resolved {
  name: string;
  module?: string;
  definitionId?: string;
  subject: ShadowSubject;
  published?: { version: number; subject: ShadowSubject };
}
