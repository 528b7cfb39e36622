import * as z from 'zod';
import { CriteriaSchema, upgradeCriteria } from '../criteria/index.js';
import { ModuleNameSchema } from '../records/module-definition.js';
import { SCREEN_INPUT_TYPES } from '../screens/screen.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * A kiosk: a guided operation as a graph of screens, decisions and actions, where later steps use
 * what earlier ones entered (`values.<component>`) and found or did (`results.<action node>`).
 * Text may hold `{{values.x}}` / `{{results.node.path}}` references; a value may be `{ ref }`.
 */
const NodeId = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9-]{0,63}$/, 'Must start with a lower-case letter; letters, digits and dashes'));
const ComponentId = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'Must be camelCase'));
const FieldName = lazySchema(() => z.string().regex(/^[a-z][a-zA-Z0-9]{0,63}$/, 'Must be a field name (camelCase)'));
/** `values.<component>` or `results.<node>[.path]`. */
export const RefSchema = lazySchema(() => z.string().regex(/^(values\.[a-z][a-zA-Z0-9]{0,63}|results\.[a-z][a-zA-Z0-9-]{0,63})(\.[A-Za-z0-9_]{1,64}){0,6}$/, 'Must be values.<component> or results.<node>[.path]'));
const Template = lazySchema(() => z.string().max(2000));
/** A value: a literal, or a reference to something entered or found earlier. */
export const KioskValueSchema = lazySchema(() => z.union([z.string().max(2000), z.number(), z.boolean(), z.null(), z.strictObject({ ref: RefSchema })]));
export type KioskValue = z.infer<typeof KioskValueSchema>;

export const KioskComponentSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('input'),
    id: ComponentId,
    type: z.enum(SCREEN_INPUT_TYPES),
    label: z.string().min(1).max(120),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(120)).min(1).max(200).optional(),
    /** Pre-filled value (e.g. the current departure date of the record picked earlier). */
    default: KioskValueSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('choice'),
    id: ComponentId,
    label: z.string().min(1).max(120),
    required: z.boolean().default(true),
    /** Pick one of the records an earlier action found: `results.<node>.records`. */
    from: RefSchema,
    /** How each option reads, e.g. "{{fields.name}} ({{fields.departureDate}})". */
    optionLabel: Template,
  }),
  z.strictObject({ kind: z.literal('display'), id: ComponentId, label: z.string().max(120).default(''), text: Template }),
]));
export type KioskComponent = z.infer<typeof KioskComponentSchema>;

const FieldValuesSchema = lazySchema(() => z.record(FieldName, KioskValueSchema));

/** What an action node does. Each runs as the user who runs the kiosk, with their rights. */
export const KioskActionSchema = lazySchema(() => z.discriminatedUnion('type', [
  /** Records of a module whose field equals a value; phone and email fields match normalised (as lookups do). */
  z.strictObject({ type: z.literal('findRecords'), module: ModuleNameSchema, where: z.record(FieldName, KioskValueSchema).refine((w) => Object.keys(w).length >= 1 && Object.keys(w).length <= 5, 'One to five fields'), limit: z.number().int().min(1).max(100).default(25) }),
  z.strictObject({ type: z.literal('getRecord'), module: ModuleNameSchema, id: KioskValueSchema }),
  z.strictObject({ type: z.literal('createRecord'), module: ModuleNameSchema, fields: FieldValuesSchema }),
  z.strictObject({ type: z.literal('updateRecord'), module: ModuleNameSchema, id: KioskValueSchema, fields: FieldValuesSchema }),
  /** Points a lookup field of one record at another record. */
  z.strictObject({ type: z.literal('associate'), module: ModuleNameSchema, id: KioskValueSchema, field: FieldName, targetId: KioskValueSchema }),
  z.strictObject({ type: z.literal('assignOwner'), module: ModuleNameSchema, id: KioskValueSchema, ownerId: KioskValueSchema }),
  /** A task or a call for someone, related to a record. */
  z.strictObject({ type: z.literal('addActivity'), activity: z.enum(['task', 'call']), subject: Template, relatedModule: ModuleNameSchema, relatedId: KioskValueSchema, assigneeId: KioskValueSchema.optional(), dueInDays: z.number().int().min(0).max(365).optional() }),
  /** Tell people: the owner of a record, users, a team's members, an email address (e.g. the customer's). */
  z.strictObject({
    type: z.literal('notify'),
    channels: z.array(z.enum(['email', 'inApp'])).min(1).max(2),
    to: z
      .array(
        z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('recordOwner'), module: ModuleNameSchema, id: KioskValueSchema }),
          z.strictObject({ kind: z.literal('user'), userId: KioskValueSchema }),
          z.strictObject({ kind: z.literal('team'), teamId: z.string().min(1).max(64) }),
          z.strictObject({ kind: z.literal('email'), address: KioskValueSchema }),
        ]),
      )
      .min(1)
      .max(20),
    subject: Template,
    message: Template,
    /**
     * What plain addresses (`email` recipients: customers) are sent instead of `subject` and `message`,
     * which are for colleagues and may carry internal notes. Required when any recipient is an address.
     */
    customer: z.strictObject({ subject: Template, message: Template }).optional(),
  }),
  /** A signed POST of the given payload (https only; no private, link-local or loopback address in AWS). */
  z.strictObject({ type: z.literal('webhook'), url: z.url().max(2000), payload: z.record(z.string().max(64), KioskValueSchema).default({}) }),
]));
export type KioskAction = z.infer<typeof KioskActionSchema>;

export const KioskNodeSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('screen'), id: NodeId, title: z.string().min(1).max(120), description: Template.optional(), components: z.array(KioskComponentSchema).min(1).max(30), next: NodeId }),
  z.strictObject({ kind: z.literal('decision'), id: NodeId, branches: z.array(z.strictObject({ when: CriteriaSchema, next: NodeId })).min(1).max(20), otherwise: NodeId }),
  z.strictObject({ kind: z.literal('action'), id: NodeId, action: KioskActionSchema, next: NodeId }),
  /** The run ends here; `message` (a template) is the result a front-end shows. */
  z.strictObject({ kind: z.literal('end'), id: NodeId, title: z.string().min(1).max(120).default('Done'), message: Template.default('') }),
]));
export type KioskNode = z.infer<typeof KioskNodeSchema>;

export const KioskRunnersSchema = lazySchema(() => z.strictObject({
  orgRoles: z.array(z.enum(['admin', 'member', 'guest'])).max(3).default([]),
  users: z.array(z.string().min(1).max(64)).max(200).default([]),
  teams: z.array(z.string().min(1).max(64)).max(50).default([]),
}));
export type KioskRunners = z.infer<typeof KioskRunnersSchema>;

export const KioskDefinitionSchema = lazySchema(() => z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(1000).optional(),
    /** Who may run it (any one of these); org admins always may. */
    runners: KioskRunnersSchema,
    start: NodeId,
    nodes: z.array(KioskNodeSchema).min(2).max(100),
  })
  .meta({ id: 'KioskDefinition' }));
export type KioskDefinition = z.infer<typeof KioskDefinitionSchema>;

/**
 * A kiosk as stored with `{ ref, equals | filled | gt | lt }` branch conditions, in today's criteria
 * shape: a condition's `field` is the reference (`values.x`, `results.y.count`).
 */
export const upgradeKioskDefinition = (def: KioskDefinition): KioskDefinition => ({
  ...def,
  nodes: (def.nodes ?? []).map((node) => (node.kind === 'decision' ? { ...node, branches: node.branches.map((b) => ({ ...b, when: upgradeCriteria(b.when) })) } : node)),
});
