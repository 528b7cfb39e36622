/** Wizard and kiosk events (versioned definitions, and what a kiosk run asks others to do), registered in index.ts as one group. */
import * as z from 'zod';
import { defineEvent, type EventDefinition } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

const DefinitionSaved = lazySchema(() => z.object({ id: z.string(), name: z.string(), version: z.number().int().min(1) }));

export const wizardCreated = defineEvent({ name: 'wizard.created', version: 1, description: 'An admin defined a wizard (version 1).', schema: DefinitionSaved });
export const wizardUpdated = defineEvent({ name: 'wizard.updated', version: 1, description: 'A new version of a wizard was saved; sessions in flight keep theirs.', schema: DefinitionSaved });
export const kioskCreated = defineEvent({ name: 'kiosk.created', version: 1, description: 'An admin defined a kiosk (version 1).', schema: DefinitionSaved });
export const kioskUpdated = defineEvent({ name: 'kiosk.updated', version: 1, description: 'A new version of a kiosk was saved; runs in flight keep theirs.', schema: DefinitionSaved });

export const KioskNotificationSchema = lazySchema(() => z.object({
  runId: z.string(),
  nodeId: z.string(),
  step: z.number().int().min(0),
  channels: z.array(z.enum(['email', 'inApp'])).min(1),
  subject: z.string(),
  message: z.string(),
  /** Users: in-app, and email to their directory address. */
  userIds: z.array(z.string()),
  /** Teams whose members (as the consumer finds them) are told like `userIds`. */
  teamIds: z.array(z.string()).default([]),
  /** Plain addresses (e.g. the customer's): email only, with `customer`'s text (never the colleagues' message). */
  emails: z.array(z.string()),
  customer: z.object({ subject: z.string(), message: z.string() }).optional(),
}));
export type KioskNotification = z.infer<typeof KioskNotificationSchema>;

export const kioskNotificationRequested = defineEvent({
  name: 'kiosk.notification-requested',
  version: 1,
  description: 'A kiosk run asked to tell people something; the kiosk-notify consumer sends it, at most once per recipient.',
  schema: KioskNotificationSchema,
});

export const KioskWebhookSchema = lazySchema(() => z.object({
  runId: z.string(),
  nodeId: z.string(),
  step: z.number().int().min(0),
  url: z.string(),
  payload: z.record(z.string(), z.unknown()),
}));
export type KioskWebhook = z.infer<typeof KioskWebhookSchema>;

export const kioskWebhookRequested = defineEvent({
  name: 'kiosk.webhook-requested',
  version: 1,
  description: 'A kiosk run asked to call a signed webhook; the kiosk-webhook consumer posts it (https, signed, retried; private addresses refused in AWS).',
  schema: KioskWebhookSchema,
});

export const screenEvents: readonly EventDefinition[] = [wizardCreated, wizardUpdated, kioskCreated, kioskUpdated, kioskNotificationRequested, kioskWebhookRequested];
