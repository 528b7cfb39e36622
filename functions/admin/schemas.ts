import * as z from 'zod';
import { DEAD_LETTER_ORIGINS, DEAD_LETTER_STATUSES } from '../../shared/db/dead-letters-repo.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

const Limit = lazySchema(() => z.coerce.number().int().min(1).max(200).default(50));

export const DeadLetterStatusSchema = lazySchema(() => z.enum(DEAD_LETTER_STATUSES));

export const ListDeadLettersQuery = lazySchema(() => z.strictObject({
  status: DeadLetterStatusSchema.optional(),
  limit: Limit,
  cursor: z.string().optional(),
}));

export const DeadLetterParams = lazySchema(() => z.object({ id: z.string().min(1).max(64) }));

export const DeadLetterSchema = lazySchema(() => z
  .object({
    id: z.string(),
    status: DeadLetterStatusSchema.meta({ description: 'pending: never replayed; replaying: handed back, outcome not known yet; replayed: delivered; failed: a replay failed again' }),
    version: z.number().int(),
    subscriptionId: z.string().meta({ description: 'The entry of the subscription table whose target failed' }),
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('consumer'), consumer: z.string() }),
      z.object({ kind: z.literal('stateMachine'), workflow: z.string() }),
    ]),
    origin: z.enum(DEAD_LETTER_ORIGINS),
    eventId: z.string(),
    eventName: z.string(),
    event: z.record(z.string(), z.unknown()).meta({ description: 'The bus event as the target received it' }),
    error: z.object({ name: z.string(), message: z.string() }),
    attempts: z.number().int(),
    failedAt: z.iso.datetime(),
    replayCount: z.number().int(),
    lastReplayAt: z.iso.datetime().optional(),
    lastReplayBy: z.string().optional(),
    replayedAt: z.iso.datetime().optional(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'DeadLetter' }));

export const DeadLetterPageSchema = lazySchema(() => z.object({ items: z.array(DeadLetterSchema), nextCursor: z.string().optional() }).meta({ id: 'DeadLetterPage' }));
