import type { FieldPatch, FieldValue } from '../records/field-values.js';
import { runsOnce, type Action, type ActionType, type Assignee, type Recipient } from './schema.js';
import { customerNameOf } from './customer-email.js';
import { mergeFieldsOf, renderTemplate, type TemplateValue } from './template.js';

/** A user as the planner sees them (from the directory). */
export interface ActionUser {
  id: string;
  email?: string;
  name?: string;
  managerId?: string;
  orgRole?: string;
}

/** What the actions act on and who is around it. Pure data: the edge loads it. */
export interface ActionContext {
  record: { id: string; module: string; ownerId: string; fields: Readonly<Record<string, FieldValue>> };
  /** Field types of the record's module (which fields hold an email or a user id). */
  fieldTypes: Readonly<Record<string, string>>;
  /** Every user the actions may name: the owner, the owner's manager, the submitter, named users. */
  users: Readonly<Record<string, ActionUser>>;
  submitterId?: string;
  /** User ids per org role, sorted (for `role` assignees). */
  roleMembers?: Readonly<Record<string, readonly string[]>>;
  now: Date;
}

export type PlannedAction =
  | { type: 'updateFields'; index: number; module: string; recordId: string; fields: FieldPatch }
  | { type: 'associate'; index: number; module: string; recordId: string; fields: FieldPatch }
  /** `once`: runs once in its scope (see RunsSchema), not on every run. */
  | { type: 'createTask'; index: number; module: 'Tasks'; ownerId: string; fields: Record<string, FieldValue>; once: boolean }
  | { type: 'createRecord'; index: number; module: string; ownerId: string; fields: Record<string, FieldValue>; once: boolean }
  /** `customer`: the address is a record's (a contact or lead), not a user's: a customer email (greeting, signature). */
  | { type: 'sendEmail'; index: number; to: string; recipientId?: string; customer?: { name?: string }; subject: string; text: string; html?: string }
  | { type: 'notify'; index: number; userId: string; title: string; body: string; subject: { type: 'record'; id: string; module: string } }
  | { type: 'webhook'; index: number; url: string; body: Record<string, unknown> }
  /** An action that cannot resolve (no manager, a user without email…): logged, not retried. */
  | { type: 'unresolved'; index: number; of: ActionType; reason: string };

/** Merge fields beyond the record's own fields. */
export const SYSTEM_MERGE_FIELDS = ['record.id', 'record.module', 'record.ownerId', 'owner.name', 'owner.email', 'manager.name', 'manager.email', 'today'] as const;

const managerOf = (ctx: ActionContext, userId: string): ActionUser | undefined => {
  const managerId = ctx.users[userId]?.managerId;
  return managerId ? (ctx.users[managerId] ?? { id: managerId }) : undefined;
};

/** The values merge fields read: the record's fields, then the system ones. */
export const templateValues = (ctx: ActionContext): Record<string, TemplateValue> => {
  const owner = ctx.users[ctx.record.ownerId];
  const manager = managerOf(ctx, ctx.record.ownerId);
  return {
    ...ctx.record.fields,
    'record.id': ctx.record.id,
    'record.module': ctx.record.module,
    'record.ownerId': ctx.record.ownerId,
    'owner.name': owner?.name ?? ctx.record.ownerId,
    'owner.email': owner?.email,
    'manager.name': manager?.name ?? manager?.id,
    'manager.email': manager?.email,
    today: ctx.now.toISOString().slice(0, 10),
  };
};

type Resolved<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = <T>(reason: string): Resolved<T> => ({ ok: false, reason });

/** A user id for a recipient or assignee that names one person. */
const personOf = (ctx: ActionContext, who: Recipient | Assignee): Resolved<string> => {
  switch (who.kind) {
    case 'owner':
      return { ok: true, value: ctx.record.ownerId };
    case 'manager': {
      const manager = managerOf(ctx, ctx.record.ownerId);
      return manager ? { ok: true, value: manager.id } : fail(`The owner ${ctx.record.ownerId} has no manager`);
    }
    case 'user':
      return ctx.users[who.userId] ? { ok: true, value: who.userId } : fail(`No user ${who.userId}`);
    case 'submitter':
      return ctx.submitterId ? { ok: true, value: ctx.submitterId } : fail('Nobody submitted what this automation acts on');
    case 'role': {
      const first = ctx.roleMembers?.[who.role]?.[0];
      return first ? { ok: true, value: first } : fail(`Nobody holds the role ${who.role}`);
    }
    case 'field': {
      const value = ctx.record.fields[who.field];
      if (typeof value !== 'string' || value === '') return fail(`The field ${who.field} is empty`);
      if (ctx.fieldTypes[who.field] !== 'user') return fail(`The field ${who.field} does not name a user`);
      return ctx.users[value] ? { ok: true, value } : fail(`No user ${value} (field ${who.field})`);
    }
  }
};

/** An email address for a recipient: a person's directory email, or an email field's value. */
const emailOf = (ctx: ActionContext, to: Recipient): Resolved<{ email: string; userId?: string }> => {
  if (to.kind === 'field' && ctx.fieldTypes[to.field] === 'email') {
    const value = ctx.record.fields[to.field];
    return typeof value === 'string' && value !== '' ? { ok: true, value: { email: value } } : fail(`The field ${to.field} is empty`);
  }
  const person = personOf(ctx, to);
  if (!person.ok) return person;
  const email = ctx.users[person.value]?.email;
  return email ? { ok: true, value: { email, userId: person.value } } : fail(`The user ${person.value} has no email address`);
};

const addDays = (now: Date, days: number): string => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

const planOne = (action: Action, index: number, ctx: ActionContext, values: Record<string, TemplateValue>): PlannedAction => {
  const unresolved = (reason: string): PlannedAction => ({ type: 'unresolved', index, of: action.type, reason });
  const { record } = ctx;
  switch (action.type) {
    case 'updateFields':
      return { type: 'updateFields', index, module: record.module, recordId: record.id, fields: { ...action.fields } };
    case 'associate':
      return { type: 'associate', index, module: record.module, recordId: record.id, fields: { [action.field]: action.recordId } };
    case 'createTask': {
      const assignee = personOf(ctx, action.assignee);
      if (!assignee.ok) return unresolved(assignee.reason);
      return {
        type: 'createTask',
        index,
        module: 'Tasks',
        ownerId: assignee.value,
        once: runsOnce(action),
        fields: {
          subject: renderTemplate(action.subject, values, { singleLine: true }).slice(0, 255) || action.subject.slice(0, 255),
          status: 'Open',
          assigneeId: assignee.value,
          relatedModule: record.module,
          relatedId: record.id,
          ...(action.dueInDays !== undefined ? { dueDate: addDays(ctx.now, action.dueInDays) } : {}),
        },
      };
    }
    case 'sendEmail': {
      const to = emailOf(ctx, action.to);
      if (!to.ok) return unresolved(to.reason);
      return {
        type: 'sendEmail',
        index,
        to: to.value.email,
        ...(to.value.userId ? { recipientId: to.value.userId } : { customer: { ...(customerNameOf(record.fields) ? { name: customerNameOf(record.fields) } : {}) } }),
        subject: renderTemplate(action.template.subject, values, { singleLine: true }),
        text: renderTemplate(action.template.text, values),
        ...(action.template.html ? { html: renderTemplate(action.template.html, values, { html: true }) } : {}),
      };
    }
    case 'notify': {
      const to = action.to.kind === 'field' && ctx.fieldTypes[action.to.field] === 'email' ? fail<string>('Notifications go to users, not email fields') : personOf(ctx, action.to);
      if (!to.ok) return unresolved(to.reason);
      const body = renderTemplate(action.message, values);
      return {
        type: 'notify',
        index,
        userId: to.value,
        title: renderTemplate(action.title ?? '{{record.module}} {{record.id}}', values, { singleLine: true }),
        body,
        subject: { type: 'record', id: record.id, module: record.module },
      };
    }
    case 'webhook':
      return { type: 'webhook', index, url: action.url, body: { record: { id: record.id, module: record.module, ownerId: record.ownerId, fields: record.fields } } };
    case 'createRecord': {
      const fields: Record<string, FieldValue> = {};
      for (const [name, value] of Object.entries(action.fields)) {
        if (typeof value === 'object' && !Array.isArray(value)) {
          const source = value.from === 'record.id' ? record.id : record.fields[value.from];
          if (source !== undefined) fields[name] = source;
        } else fields[name] = value;
      }
      if (action.relate) fields[action.relate.field] = record.id;
      return { type: 'createRecord', index, module: action.module, ownerId: record.ownerId, fields, once: runsOnce(action) };
    }
  }
};

/**
 * Plans a list of actions against a context, purely: resolves recipients and assignees (owner, the
 * owner's manager, named users, user/email fields, the submitter, a role), renders templates (values
 * escaped in HTML, single-line subjects), computes due dates from the clock. What cannot resolve
 * becomes an `unresolved` step with its reason; the others still run.
 */
export const planActions = (actions: readonly Action[], ctx: ActionContext): PlannedAction[] => {
  const values = templateValues(ctx);
  return actions.map((action, index) => planOne(action, index, ctx, values));
};

/**
 * The user ids the edge must load before planning: the owner, the submitter, named users, user-field
 * values. (The owner's manager is one more read, once the owner is known.)
 */
export const usersToLoad = (actions: readonly Action[], ctx: Pick<ActionContext, 'record' | 'fieldTypes' | 'submitterId'>): string[] => {
  const ids = new Set<string>([ctx.record.ownerId]);
  if (ctx.submitterId) ids.add(ctx.submitterId);
  for (const action of actions) {
    const who = action.type === 'sendEmail' || action.type === 'notify' ? action.to : action.type === 'createTask' ? action.assignee : undefined;
    if (who?.kind === 'user') ids.add(who.userId);
    if (who?.kind === 'field' && ctx.fieldTypes[who.field] === 'user') {
      const value = ctx.record.fields[who.field];
      if (typeof value === 'string' && value) ids.add(value);
    }
  }
  return [...ids];
};

/** The templates of an action (for merge-field checks). */
export const templatesOf = (action: Action): string[] => {
  switch (action.type) {
    case 'createTask':
      return [action.subject];
    case 'sendEmail':
      return [action.template.subject, action.template.text, ...(action.template.html ? [action.template.html] : [])];
    case 'notify':
      return [action.message, ...(action.title ? [action.title] : [])];
    default:
      return [];
  }
};

/** Whether any action needs the owner's manager (one more directory read). */
export const needsManager = (actions: readonly Action[]): boolean =>
  actions.some(
    (a) =>
      (a.type === 'sendEmail' || a.type === 'notify' ? a.to.kind === 'manager' : a.type === 'createTask' ? a.assignee.kind === 'manager' : false) ||
      templatesOf(a).some((t) => mergeFieldsOf(t).some((f) => f.startsWith('manager.'))),
  );

/** Whether any assignee is a role (the edge then lists the directory by role). */
export const needsRoles = (actions: readonly Action[]): boolean => actions.some((a) => a.type === 'createTask' && a.assignee.kind === 'role');
