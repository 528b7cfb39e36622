import * as z from 'zod';
import { KioskDefinitionSchema } from '../../shared/domain/kiosk/definition.js';
import { ScreenSchema } from '../../shared/domain/screens/screen.js';
import { wrappedDefinitionBody } from '../../shared/http/editable-body.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const KioskParams = lazySchema(() => z.strictObject({ id: z.string().min(1).max(64) }));
export const RunParams = lazySchema(() => z.strictObject({ runId: z.string().min(1).max(64) }));

export const KioskSchema = lazySchema(() => z
  .object({ id: z.string(), name: z.string(), version: z.number().int(), definition: KioskDefinitionSchema, createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Kiosk' }));
export type KioskView = z.infer<typeof KioskSchema>;
/** PUT takes what GET answers (its `definition`; the rest is read-only) or the definition flat. */
export const KioskEditBody = lazySchema(() => wrappedDefinitionBody(KioskDefinitionSchema, KioskSchema, 'definition'));
export const KioskPageSchema = lazySchema(() => z.object({ items: z.array(KioskSchema), nextCursor: z.string().optional() }).meta({ id: 'KioskPage' }));

export const SubmitKioskScreenBody = lazySchema(() => z.strictObject({ screenId: z.string().min(1).max(64), values: z.record(z.string(), z.unknown()).default({}) }));
export type SubmitKioskScreen = z.infer<typeof SubmitKioskScreenBody>;

/** A run waits on a screen, or is done with a result a front-end shows. */
export const KioskRunSchema = lazySchema(() => z
  .object({
    runId: z.string(),
    kioskId: z.string(),
    kioskVersion: z.number().int(),
    screen: ScreenSchema.optional(),
    done: z.boolean(),
    result: z.object({ title: z.string(), message: z.string() }).optional(),
    expiresAt: z.string(),
  })
  .meta({ id: 'KioskRun' }));
export type KioskRunView = z.infer<typeof KioskRunSchema>;
