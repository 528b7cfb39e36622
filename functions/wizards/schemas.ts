import * as z from 'zod';
import { ScreenSchema } from '../../shared/domain/screens/screen.js';
import { WizardDefinitionSchema } from '../../shared/domain/wizard/definition.js';
import { wrappedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const WizardParams = lazySchema(() => z.strictObject({ id: z.string().min(1).max(64) }));
export const SessionParams = lazySchema(() => z.strictObject({ sessionId: z.string().min(1).max(64) }));
export const SessionScreenParams = lazySchema(() => z.strictObject({ sessionId: z.string().min(1).max(64), screenId: z.string().min(1).max(64) }));

/** A stored wizard: its definition and the version the next session will start on. */
export const WizardSchema = lazySchema(() => z
  .object({
    id: z.string(),
    name: z.string(),
    module: z.string(),
    version: z.number().int(),
    definition: WizardDefinitionSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Wizard' }));
export type WizardView = z.infer<typeof WizardSchema>;
/** PUT takes what GET answers (its `definition`; the rest is read-only) or the definition flat. */
export const WizardEditBody = lazySchema(() => wrappedDefinitionBody(WizardDefinitionSchema, WizardSchema, 'definition'));

export const WizardPageSchema = lazySchema(() => z.object({ items: z.array(WizardSchema), nextCursor: z.string().optional() }).meta({ id: 'WizardPage' }));

export const ScreenValuesBody = lazySchema(() => z.strictObject({ values: z.record(z.string(), z.unknown()).default({}) }));
/** Optional: an empty body saves the draft as it stands. */
export const DraftBody = lazySchema(() => z.strictObject({ values: z.record(z.string(), z.unknown()).default({}) }).optional());

export const SessionStatusSchema = lazySchema(() => z.enum(['active', 'draft', 'finished']));

/** Where a session stands: the screen to show (null once every screen is answered), the answers so far. */
export const WizardSessionSchema = lazySchema(() => z
  .object({
    sessionId: z.string(),
    wizardId: z.string(),
    wizardVersion: z.number().int(),
    status: SessionStatusSchema,
    screen: ScreenSchema.nullable(),
    values: z.record(z.string(), z.unknown()),
    canGoBack: z.boolean(),
    expiresAt: z.string(),
    recordId: z.string().optional(),
  })
  .meta({ id: 'WizardSession' }));
export type WizardSessionView = z.infer<typeof WizardSessionSchema>;

/** `GET /v1/wizard-sessions?status=draft`: only drafts are listed (a session in progress is resumed from where it was left). */
export const SessionListQuery = lazySchema(() => z.strictObject({
  status: z.literal('draft', 'Only drafts are listed: status=draft'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
}));

/** One of the caller's drafts, enough to show it in a list and resume it (GET the session for its screen). */
export const WizardDraftSchema = lazySchema(() => z
  .object({
    sessionId: z.string(),
    wizardId: z.string(),
    wizardName: z.string(),
    wizardVersion: z.number().int(),
    /** The screen it will resume on (absent when every screen is answered: it resumes at Finish). */
    screenTitle: z.string().optional(),
    /** How many answers it holds so far. */
    answered: z.number().int(),
    updatedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'WizardDraft' }));
export type WizardDraftView = z.infer<typeof WizardDraftSchema>;
export const WizardDraftPageSchema = lazySchema(() => z.object({ items: z.array(WizardDraftSchema), nextCursor: z.string().optional() }).meta({ id: 'WizardDraftPage' }));
