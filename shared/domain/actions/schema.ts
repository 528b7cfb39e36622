import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

/** At most this many actions per automation step (each is one or two writes of its own). */
export const MAX_ACTIONS = 20;
/** A task's due date, at most this many days ahead. */
export const MAX_DUE_IN_DAYS = 3650;

const text = (max: number) => z.string().trim().min(1).max(max);
const userId = lazySchema(() => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, 'Letters, digits and _ . @ - only'));
const fieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'A field name (camelCase)'));
const moduleName = lazySchema(() => z.string().regex(/^[A-Z][A-Za-z0-9]{1,63}$/, 'A module name (PascalCase)'));
const literal = lazySchema(() => z.union([z.string().max(32_000), z.number().finite(), z.boolean(), z.array(z.string().max(255)).max(500)]));

/** Who receives an email or notification. */
export const RecipientSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('owner') }).strict(),
  /** The record owner's manager (`managerId` in the directory). */
  z.object({ kind: z.literal('manager') }).strict(),
  z.object({ kind: z.literal('user'), userId }).strict(),
  /** A field of the record: an email field (that address) or a user field (that user). */
  z.object({ kind: z.literal('field'), field: fieldName }).strict(),
  /** Whoever submitted what the automation acts on (the approval's submitter, the requester, the change's author). */
  z.object({ kind: z.literal('submitter') }).strict(),
]));
export type Recipient = z.infer<typeof RecipientSchema>;

/** Who is assigned a task. */
export const AssigneeSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('owner') }).strict(),
  z.object({ kind: z.literal('manager') }).strict(),
  z.object({ kind: z.literal('user'), userId }).strict(),
  /** The first user (by id) holding this org role. */
  z.object({ kind: z.literal('role'), role: z.enum(['admin', 'member']) }).strict(),
  z.object({ kind: z.literal('submitter') }).strict(),
]));
export type Assignee = z.infer<typeof AssigneeSchema>;

export const EmailTemplateSchema = lazySchema(() => z
  .object({ subject: text(200), text: text(20_000), html: text(50_000).optional() })
  .strict());

/**
 * How often an action that creates something (a record, a task, a conversion, an enrollment) runs:
 * `once` (the default) per (instance, state) for journeys and blueprints, per (process, record,
 * decision) for approvals, per (rule, record change) for workflow rules; `everyTime` on every entry.
 * Actions that create nothing (emails, notifications, field updates, webhooks) run every time.
 */
export const RunsSchema = lazySchema(() => z.enum(['once', 'everyTime']).meta({
  description:
    'How often an action that creates something runs: once (default) per journey instance and state, blueprint transition and record, approval decision and record, or workflow rule and record change; everyTime on every entry',
}));
export type Runs = z.infer<typeof RunsSchema>;

/** Whether a creating action runs only once in its scope (its `runs`, once by default). */
export const runsOnce = (action: { runs?: Runs | undefined }): boolean => (action.runs ?? 'once') === 'once';

/** One action of the library. Merge fields (`{{field}}`, `{{record.id}}`) work in subjects, texts and messages. */
export const actionSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('updateFields'), fields: z.record(fieldName, literal.nullable()).refine((f) => Object.keys(f).length > 0, 'At least one field') }).strict(),
  z
    .object({
      type: z.literal('createTask'),
      subject: text(255),
      assignee: AssigneeSchema,
      dueInDays: z.number().int().min(0).max(MAX_DUE_IN_DAYS).optional(),
      runs: RunsSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('sendEmail'), to: RecipientSchema, template: EmailTemplateSchema }).strict(),
  z.object({ type: z.literal('notify'), to: RecipientSchema, message: text(2000), title: text(200).optional() }).strict(),
  z
    .object({
      type: z.literal('webhook'),
      url: z
        .url()
        .max(2048)
        .refine((u) => u.startsWith('https://'), 'Must be an https:// URL')
        .refine((u) => !/^https:\/\/[^/]*@/.test(u), 'Must not carry credentials'),
    })
    .strict(),
  z
    .object({
      type: z.literal('createRecord'),
      module: moduleName,
      /** A literal value, or `{ from: '<field of the source record>' }`. */
      fields: z.record(fieldName, z.union([literal, z.object({ from: z.union([fieldName, z.literal('record.id')]) }).strict()])),
      /** A lookup field of the new record that points back to the source record. */
      relate: z.object({ field: fieldName }).strict().optional(),
      runs: RunsSchema.optional(),
    })
    .strict(),
  /** Points a lookup field of the source record at another record. */
  z.object({ type: z.literal('associate'), field: fieldName, recordId: z.string().trim().min(1).max(64) }).strict(),
]));
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];

export const ActionListSchema = lazySchema(() => z.array(actionSchema).min(1).max(MAX_ACTIONS));
