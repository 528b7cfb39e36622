import { z } from 'zod';
import { ScreenSchema } from '../../shared/domain/screens/screen.js';
import { WizardDefinitionSchema } from '../../shared/domain/wizard/definition.js';
import { wrappedDefinitionBody } from '../../shared/http/editable-body.js';

export const WizardParams = z.strictObject({ id: z.string().min(1).max(64) });
export const SessionParams = z.strictObject({ sessionId: z.string().min(1).max(64) });
export const SessionScreenParams = z.strictObject({ sessionId: z.string().min(1).max(64), screenId: z.string().min(1).max(64) });

/** A stored wizard: its definition and the version the next session will start on. */
export const WizardSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    module: z.string(),
    version: z.number().int(),
    definition: WizardDefinitionSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Wizard' });
export type WizardView = z.infer<typeof WizardSchema>;
/** PUT takes what GET answers (its `definition`; the rest is read-only) or the definition flat. */
export const WizardEditBody = wrappedDefinitionBody(WizardDefinitionSchema, WizardSchema, 'definition');

export const WizardPageSchema = z.object({ items: z.array(WizardSchema), nextCursor: z.string().optional() }).meta({ id: 'WizardPage' });

export const ScreenValuesBody = z.strictObject({ values: z.record(z.string(), z.unknown()).default({}) });
/** Optional: an empty body saves the draft as it stands. */
export const DraftBody = z.strictObject({ values: z.record(z.string(), z.unknown()).default({}) }).optional();

export const SessionStatusSchema = z.enum(['active', 'draft', 'finished']);

/** Where a session stands: the screen to show (null once every screen is answered), the answers so far. */
export const WizardSessionSchema = z
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
  .meta({ id: 'WizardSession' });
export type WizardSessionView = z.infer<typeof WizardSessionSchema>;
