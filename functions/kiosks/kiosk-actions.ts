import { createHash } from 'node:crypto';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { RecordAction } from '../../shared/domain/access/index.js';
import type { KioskAction } from '../../shared/domain/kiosk/definition.js';
import { validateFieldValues, type FieldValues } from '../../shared/domain/records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { normaliseForLookup } from '../../shared/domain/records/normalise.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { lookupKeys, recordKeys, refKeys } from '../../shared/db/keys.js';
import { requestKioskNotification, requestKioskWebhook } from '../../shared/db/kiosk-notifications.js';
import { queryAll } from '../../shared/db/query.js';
import { createRecord, getRecord, getRecords, toRecordView, updateRecord, type RecordItem, type RecordView } from '../../shared/db/records-repo.js';
import { listMembers } from '../../shared/db/teams-repo.js';
import { getUser } from '../../shared/db/users-repo.js';
import type { OperationRequest } from '../../shared/http/operation.js';
import { checkOwnerAssignment } from '../records/owner-assignment.js';
import { enforceOnRecord, moduleAccess, type ModuleAccess } from '../records/record-access.js';
import { Conflict, Unprocessable } from '../../shared/domain/errors.js';

/** Where an action runs: as the user who runs the kiosk, with their rights, attributed to the kiosk. */
export interface KioskActionScope {
  req: OperationRequest;
  deps: AppDeps;
  ctx: ChangeContext;
  runId: string;
  /** The action node and how many steps the run has taken: with the run id, a stable key for what this step creates. */
  nodeId: string;
  step: number;
  /** Module access checks already made in this request, by (module, action): one load per module, not per action. */
  checked: Map<string, Promise<ModuleAccess>>;
}

/** moduleAccess (caller + module + the rule for `action`), once per (module, action) in a request. */
const accessTo = (scope: KioskActionScope, module: string, action: RecordAction): Promise<ModuleAccess> => {
  const key = `${module}:${action}`;
  let access = scope.checked.get(key);
  if (!access) {
    access = moduleAccess(scope.req, scope.deps, module, action);
    scope.checked.set(key, access);
  }
  return access;
};

/** The most records one findRecords returns, and reads per matched field. */
const MAX_FOUND = 100;

/** A stable id for what one step of one run creates: a retried submit finds its record instead of making a second. */
const stepRecordId = (scope: KioskActionScope): string => {
  const digest = createHash('sha256').update(`${scope.runId}|${scope.nodeId}|${scope.step}`).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const tail = Array.from(digest.subarray(0, 16), (b) => alphabet[b % 32]).join('');
  return `${scope.runId.slice(0, 10)}${tail}`;
};

const asId = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new Unprocessable(`The kiosk has no ${what} to act on`);
  return value;
};

/** Ids of the module's records whose field matches, from the index items the records core keeps (no Scan). */
const matchingIds = async (deps: AppDeps, module: ModuleMetadata, field: FieldDefinition, value: unknown): Promise<string[]> => {
  const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== undefined && v !== null && v !== '').slice(0, MAX_FOUND);
  const ids: string[] = [];
  for (const v of values) {
    if (field.type === 'phone' || field.type === 'email') {
      const normalised = normaliseForLookup(field.type, String(v), deps.defaultPhoneRegion);
      if (!normalised) continue;
      const hits = await queryAll<{ recordId: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': lookupKeys.partition(module.name, field.name, normalised) }, Limit: MAX_FOUND });
      ids.push(...hits.map((h) => h.recordId));
    } else if (field.type === 'lookup' && field.lookupModule) {
      const hits = await queryAll<{ recordId: string }>(deps, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': refKeys.partition(field.lookupModule, String(v)), ':prefix': `${refKeys.sourcePrefix(module.name)}${field.name}#` },
        Limit: MAX_FOUND,
      });
      ids.push(...hits.map((h) => h.recordId));
    } else if (field.type === 'picklist') {
      const hits = await queryAll<{ SK: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': recordKeys.groupPartition(module.name, field.name, String(v)) }, Limit: MAX_FOUND });
      ids.push(...hits.map((h) => h.SK));
    } else {
      throw new Unprocessable(`The kiosk matches ${module.name} on ${field.name}, which has no index`);
    }
  }
  return [...new Set(ids)];
};

const findRecords = async (scope: KioskActionScope, action: Extract<KioskAction, { type: 'findRecords' }>) => {
  const access = await accessTo(scope, action.module, 'list');
  let ids: string[] | undefined;
  for (const [name, value] of Object.entries(action.where)) {
    const field = access.module.fields.find((f) => f.name === name);
    if (!field) throw new Unprocessable(`${action.module} has no field ${name}`);
    const found = await matchingIds(scope.deps, access.module, field, value);
    ids = ids === undefined ? found : ids.filter((id) => found.includes(id));
  }
  const records = (await getRecords(scope.deps, access.module.name, (ids ?? []).slice(0, action.limit))).map(toRecordView);
  return { records, count: records.length, ids: records.map((r) => r.id) };
};

const readableRecord = async (scope: KioskActionScope, access: ModuleAccess, id: string): Promise<RecordItem> => {
  const record = await getRecord(scope.deps, access.module.name, id);
  if (!record) throw new Unprocessable(`The ${access.module.name} record ${id} no longer exists`);
  await enforceOnRecord(scope.deps, access, 'read', record);
  return record;
};

/** Field errors of a kiosk write name the kiosk field, so the person can see what did not fit. */
const checkedFields = (access: ModuleAccess, fields: Record<string, unknown>, mode: 'create' | 'patch', deps: AppDeps) => {
  const { values, errors } = validateFieldValues(access.module, fields, mode, deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Unprocessable(`The kiosk cannot write these values to ${access.module.name}`, errors);
  return values;
};

const update = async (scope: KioskActionScope, module: string, idValue: unknown, patch: { fields?: Record<string, unknown>; ownerId?: string }): Promise<{ record: RecordView }> => {
  const access = await accessTo(scope, module, 'update');
  const id = asId(idValue, `${module} record`);
  const fields = checkedFields(access, patch.fields ?? {}, 'patch', scope.deps);
  if (patch.ownerId !== undefined) await checkOwnerAssignment(scope.deps, access.principal, patch.ownerId);
  const { item } = await updateRecord(scope.deps, access.module, id, { fields, ...(patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {}) }, scope.ctx, {
    check: (current) => enforceOnRecord(scope.deps, access, 'update', current),
  });
  return { record: toRecordView(item) };
};

/** Creates a record once per (run, step): a retry of the same step returns the record it made. */
const createOnce = async (scope: KioskActionScope, module: string, fields: Record<string, unknown>, ownerId?: string): Promise<{ record: RecordView }> => {
  const access = await accessTo(scope, module, 'create');
  const values = checkedFields(access, fields, 'create', scope.deps);
  const id = stepRecordId(scope);
  try {
    const item = await createRecord(scope.deps, access.module, { id, ownerId: ownerId ?? access.principal.userId, fields: values as FieldValues }, scope.ctx);
    return { record: toRecordView(item) };
  } catch (error) {
    const existing = error instanceof Conflict ? await getRecord(scope.deps, access.module.name, id) : undefined;
    if (!existing) throw error;
    return { record: toRecordView(existing) };
  }
};

/** Who a notification reaches: users (in-app and their directory email) and plain addresses (email only). */
const recipients = async (scope: KioskActionScope, action: Extract<KioskAction, { type: 'notify' }>) => {
  const userIds = new Set<string>();
  const emails = new Set<string>();
  for (const to of action.to) {
    if (to.kind === 'user') userIds.add(asId(to.userId, 'user'));
    else if (to.kind === 'team') for (const member of await listMembers(scope.deps, to.teamId)) userIds.add(member.userId);
    else if (to.kind === 'recordOwner') {
      const access = await accessTo(scope, to.module, 'read');
      userIds.add((await readableRecord(scope, access, asId(to.id, `${to.module} record`))).ownerId);
    } else if (typeof to.address === 'string' && to.address.includes('@')) emails.add(to.address.trim().toLowerCase());
  }
  const users = await Promise.all([...userIds].map((id) => getUser(scope.deps, id)));
  return { userIds: users.flatMap((u) => (u ? [u.id] : [])), emails: [...emails] };
};

/**
 * Carries out one (resolved) kiosk action. Reads and writes go through the records core as the user,
 * so their rights, locks and governed fields hold; writes are attributed to the kiosk (`via: kiosk`).
 * Notifications are not sent here: a `kiosk.notification-requested` history entry (the outbox) is
 * written once per (run, step), and the kiosk-notify consumer sends them, at most once each; webhooks
 * likewise go through `kiosk.webhook-requested` to the kiosk-webhook consumer.
 */
export const executeKioskAction = async (scope: KioskActionScope, action: KioskAction): Promise<unknown> => {
  switch (action.type) {
    case 'findRecords':
      return findRecords(scope, action);
    case 'getRecord': {
      const access = await accessTo(scope, action.module, 'read');
      return { record: toRecordView(await readableRecord(scope, access, asId(action.id, `${action.module} record`))) };
    }
    case 'createRecord':
      return createOnce(scope, action.module, action.fields);
    case 'updateRecord':
      return update(scope, action.module, action.id, { fields: action.fields });
    case 'associate':
      return update(scope, action.module, action.id, { fields: { [action.field]: asId(action.targetId, 'record to associate') } });
    case 'assignOwner':
      return update(scope, action.module, action.id, { ownerId: asId(action.ownerId, 'owner') });
    case 'addActivity': {
      const relatedId = asId(action.relatedId, `${action.relatedModule} record`);
      const related = await accessTo(scope, action.relatedModule, 'read');
      await readableRecord(scope, related, relatedId);
      const assigneeId = action.assigneeId === undefined ? scope.ctx.actor : asId(action.assigneeId, 'assignee');
      const due = new Date(scope.deps.clock().getTime() + (action.dueInDays ?? 0) * 86_400_000).toISOString();
      const fields = action.activity === 'task'
        ? { subject: action.subject, dueDate: due.slice(0, 10), status: 'Open', assigneeId, relatedModule: action.relatedModule, relatedId }
        : { subject: action.subject, scheduledAt: due, assigneeId, relatedModule: action.relatedModule, relatedId };
      return createOnce(scope, action.activity === 'task' ? 'Tasks' : 'Calls', fields);
    }
    case 'notify': {
      const to = await recipients(scope, action);
      if (to.userIds.length + to.emails.length === 0) throw new Unprocessable('Nobody to notify: every recipient resolved to nothing');
      await requestKioskNotification(scope.deps, { runId: scope.runId, nodeId: scope.nodeId, step: scope.step, channels: action.channels, subject: action.subject, message: action.message, ...to, ...(action.customer ? { customer: action.customer } : {}) }, scope.ctx);
      return { notified: to.userIds.length + to.emails.length, userIds: to.userIds };
    }
    case 'webhook':
      // Posted after the request by the kiosk-webhook consumer (signed, retried, SSRF-guarded), once per (run, step).
      await requestKioskWebhook(scope.deps, { runId: scope.runId, nodeId: scope.nodeId, step: scope.step, url: action.url, payload: action.payload as Record<string, unknown> }, scope.ctx);
      return { requested: true };
  }
};
