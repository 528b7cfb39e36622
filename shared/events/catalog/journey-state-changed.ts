import * as z from 'zod';
import { defineEvent } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

/** `data` of journey.state-changed: an instance entered a state (its entry actions run from this event). */
export const JourneyStateChangedSchema = lazySchema(() => z.object({
  journeyId: z.string().min(1),
  journeyVersion: z.number().int().min(1),
  instanceId: z.string().min(1),
  from: z.string().min(1).optional(),
  to: z.string().min(1),
  reason: z.string(),
  /** The instance's version after the move. */
  version: z.number().int().min(1),
  /** The customer's current record (the lead, then its contact). */
  customer: z.object({ module: z.string().min(1), id: z.string().min(1) }),
  /** The record whose event caused the move (e.g. the High-priority case), when one did. */
  trigger: z.object({ module: z.string().min(1), id: z.string().min(1) }).optional(),
}));
export type JourneyStateChanged = z.infer<typeof JourneyStateChangedSchema>;

export const journeyStateChanged = defineEvent({
  name: 'journey.state-changed',
  version: 1,
  description: "A journey instance entered a state (started, moved by an event, a deadline or by hand); the state's entry actions run from it.",
  schema: JourneyStateChangedSchema,
});
