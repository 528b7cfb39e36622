/** Cadence and cadence-email events, registered in index.ts as one group. Entries sit in the record's history. */
import * as z from 'zod';
import { defineEvent, type EventDefinition } from './define-event.js';
import { lazySchema } from '../../domain/lazy-schema.js';

const EnrollmentRefSchema = lazySchema(() => z.object({
  cadenceId: z.string().min(1),
  cadenceName: z.string().min(1),
  cadenceVersion: z.number().int().min(1),
  enrollmentId: z.string().min(1),
  module: z.string().min(1),
  recordId: z.string().min(1),
}));

export const CadenceEnrolledSchema = lazySchema(() => EnrollmentRefSchema.extend({ trigger: z.enum(['manual', 'automatic']) }));
export const cadenceEnrolled = defineEvent({
  name: 'cadence.enrolled',
  version: 1,
  description: 'A record was enrolled in a cadence (manually or by its enrollment criteria).',
  schema: CadenceEnrolledSchema,
});

export const UNENROLL_REASONS = ['manual', 'criteria', 'replied', 'bounced', 'complained', 'unsubscribed', 'suppressed', 'noAddress', 'recordDeleted', 'erased'] as const;
export type UnenrollReason = (typeof UNENROLL_REASONS)[number];

export const CadenceUnenrolledSchema = lazySchema(() => EnrollmentRefSchema.extend({ reason: z.enum(UNENROLL_REASONS) }));
export const cadenceUnenrolled = defineEvent({
  name: 'cadence.unenrolled',
  version: 1,
  description: 'A record left a cadence before its end; `reason` says why.',
  schema: CadenceUnenrolledSchema,
});

export const EmailEventSchema = lazySchema(() => EnrollmentRefSchema.extend({
  stepId: z.string().min(1),
  messageId: z.string().min(1),
  to: z.string().min(1),
  /** When SES (or the reply processor) saw it. */
  at: z.iso.datetime(),
  /** Click: the link; bounce: the bounce type; reply: the reply's subject. */
  detail: z.string().max(2048).optional(),
}));
export type EmailEventData = z.infer<typeof EmailEventSchema>;

const emailEvent = (name: string, description: string) => defineEvent({ name, version: 1, description, schema: EmailEventSchema });

export const emailSent = emailEvent('email.sent', 'A cadence email was accepted by SES.');
export const emailDelivered = emailEvent('email.delivered', "A cadence email reached the recipient's mail server.");
export const emailOpened = emailEvent('email.opened', 'A cadence email was opened (first open per step).');
export const emailClicked = emailEvent('email.clicked', 'A link in a cadence email was clicked (first click per step).');
export const emailReplied = emailEvent('email.replied', 'The recipient replied to a cadence email (auto-replies are ignored).');
export const emailBounced = emailEvent('email.bounced', 'A cadence email bounced; the address is suppressed.');
export const emailComplained = emailEvent('email.complained', 'The recipient marked a cadence email as spam; the address is suppressed.');

export const cadenceEvents: readonly EventDefinition[] = [cadenceEnrolled, cadenceUnenrolled, emailSent, emailDelivered, emailOpened, emailClicked, emailReplied, emailBounced, emailComplained];
