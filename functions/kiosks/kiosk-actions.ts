import { createHash } from 'node:crypto';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { businessMetric } from '../../shared/adapters/metrics.js';
import type { RecordAction } from '../../shared/domain/access/index.js';
import type { KioskAction } from '../../shared/domain/kiosk/definition.js';
import { runIdUnique } from '../../shared/domain/kiosk/run-id.js';
import { validateFieldValues, type FieldValues } from '../../shared/domain/records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { normaliseForLookup } from '../../shared/domain/records/normalise.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { lookupKeys, recordKeys, refKeys, userKeys, type Key } from '../../shared/db/keys.js';
import { kioskNotificationPart, kioskStepMarker, kioskWebhookPart } from '../../shared/db/kiosk-notifications.js';
import type { Item } from '../../shared/db/access-context.js';
import type { KioskReads } from '../../shared/db/kiosk-reads.js';
import type { KioskWrites, WritePart } from '../../shared/db/kiosk-writes.js';
import { queryAll } from '../../shared/db/query.js';
import { buildCreateItems, buildUpdateItems, preWriteChecks, toRecordView, type RecordItem, type RecordView } from '../../shared/db/records-repo.js';
import { checkOwnerAssignment } from '../records/owner-assignment.js';
import { enforceOnModule, enforceOnRecord, type ModuleAccess } from '../records/record-access.js';
import { NotFound, Unprocessable } from '../../shared/domain/errors.js';

/**
 * Where an action runs: as the user who runs the kiosk, with their rights, attributed to the kiosk.
 * It reads through the request's `reads` (one item read once, in as few batches as the data allows) and
 * plans its writes into the request's `writes` (one transaction with the run's own state).
 */
export interface KioskActionScope {
  deps: AppDeps;
  ctx: ChangeContext;
  runId: string;
  /** The action node and how many steps the run has taken: with the run id, a stable key for what this step creates. */
  nodeId: string;
  step: number;
  reads: KioskReads;
  writes: KioskWrites;
  /** Finds whose records are read later, in one batch with the next read that needs them (see readFoundRecords). */
  found: Map<string, PendingFind>;
  /**
   * Whether some writes of this step may already have been made (written ahead of the run's, or by an
   * earlier attempt of this request): then what a step creates or asks for is looked for before.
   */
  mayHaveWritten: boolean;
}

/** A find's records, not read yet: the module and the ids its index gave, in order. */
export interface PendingFind {
  module: string;
  ids: string[];
}

/** The caller's access to a module for `action`, from the request's reads (the module, the caller's grants, a written module's process state). */
const accessTo = async (scope: KioskActionScope, module: string, action: RecordAction, more: readonly Key[] = []): Promise<ModuleAccess> => {
  const written = action === 'create' || action === 'update';
  await scope.reads.loadFor({ modules: [module], ...(written ? { written: [module] } : {}) }, more);
  const principal = scope.reads.principal();
  const processes = written ? scope.reads.processes(module) : undefined;
  return { principal, module: enforceOnModule(principal, scope.reads.module(module), module, action), ...(processes ? { processes } : {}) };
};

/** The most records one findRecords returns, and reads per matched field. */
const MAX_FOUND = 100;

/** A stable id for what one step of one run creates: a retried submit finds its record instead of making a second. */
const stepRecordId = (scope: KioskActionScope): string => {
  const digest = createHash('sha256').update(`${scope.runId}|${scope.nodeId}|${scope.step}`).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const tail = Array.from(digest.subarray(0, 16), (b) => alphabet[b % 32]).join('');
  return `${runIdUnique(scope.runId).slice(0, 10)}${tail}`;
};

const asId = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new Unprocessable(`The kiosk has no ${what} to act on`);
  return value;
};

/**
 * Ids of the module's records whose field matches, from the index items the records core keeps (no Scan).
 * Several values (the contacts a phone found, say) are looked up at once: one Query each, all in flight
 * together, so a find waits one round trip however many values it matches; ids keep the values' order.
 */
const matchingIds = async (deps: AppDeps, module: ModuleMetadata, field: FieldDefinition, value: unknown): Promise<string[]> => {
  const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== undefined && v !== null && v !== '').slice(0, MAX_FOUND);
  const idsOf = async (v: unknown): Promise<string[]> => {
    if (field.type === 'phone' || field.type === 'email') {
      const normalised = normaliseForLookup(field.type, String(v), deps.defaultPhoneRegion);
      if (!normalised) return [];
      const hits = await queryAll<{ recordId: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': lookupKeys.partition(module.name, field.name, normalised) }, Limit: MAX_FOUND, ConsistentRead: true });
      return hits.map((h) => h.recordId);
    }
    if (field.type === 'lookup' && field.lookupModule) {
      const hits = await queryAll<{ recordId: string }>(deps, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': refKeys.partition(field.lookupModule, String(v)), ':prefix': `${refKeys.sourcePrefix(module.name)}${field.name}#` },
        Limit: MAX_FOUND,
        ConsistentRead: true,
      });
      return hits.map((h) => h.recordId);
    }
    if (field.type === 'picklist') {
      const hits = await queryAll<{ SK: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': recordKeys.groupPartition(module.name, field.name, String(v)) }, Limit: MAX_FOUND, ConsistentRead: true });
      return hits.map((h) => h.SK);
    }
    throw new Unprocessable(`The kiosk matches ${module.name} on ${field.name}, which has no index`);
  };
  // At most MAX_FOUND values; the SDK queues what its connection pool cannot take at once.
  const found = await Promise.all(values.map(idsOf));
  return [...new Set(found.flat())];
};

/** Those of `ids` that exist, in order, read in one batch (as this request left them). */
const existingRecords = async (scope: KioskActionScope, module: string, ids: readonly string[]): Promise<RecordItem[]> => {
  await scope.reads.load(ids.map((id) => recordKeys.key(module, id)));
  return ids.flatMap((id) => scope.reads.record(module, id) ?? []);
};

/**
 * The module's records whose fields match: their ids (and count) now, from the index items the records
 * core writes in the same transaction as each record (read consistently, so they are the records that
 * exist); the records themselves are read later with whatever else the run reads next (readFoundRecords).
 */
const findRecords = async (scope: KioskActionScope, action: Extract<KioskAction, { type: 'findRecords' }>, nodeId: string) => {
  const access = await accessTo(scope, action.module, 'list');
  let ids: string[] | undefined;
  for (const [name, value] of Object.entries(action.where)) {
    const field = access.module.fields.find((f) => f.name === name);
    if (!field) throw new Unprocessable(`${action.module} has no field ${name}`);
    const found = await matchingIds(scope.deps, access.module, field, value);
    ids = ids === undefined ? found : ids.filter((id) => found.includes(id));
  }
  const limited = (ids ?? []).slice(0, action.limit);
  scope.found.set(nodeId, { module: access.module.name, ids: limited });
  return { count: limited.length, ids: limited };
};

/** Reads the records of every pending find in one batch, and gives each find's result its `records` (in the index's order). */
export const readFoundRecords = async (reads: KioskReads, found: Map<string, PendingFind>, results: Record<string, unknown>): Promise<Record<string, unknown>> => {
  if (found.size === 0) return results;
  await reads.load([...found.values()].flatMap((f) => f.ids.map((id) => recordKeys.key(f.module, id))));
  const next = { ...results };
  for (const [nodeId, f] of found) next[nodeId] = { ...(next[nodeId] as object), records: f.ids.flatMap((id) => reads.record(f.module, id) ?? []).map(toRecordView) };
  found.clear();
  return next;
};

/** A record the caller may read, as this request leaves it; one that does not exist is a 422 (the kiosk pointed at nothing). */
const readableRecord = async (scope: KioskActionScope, access: ModuleAccess, id: string): Promise<RecordItem> => {
  const [record] = await existingRecords(scope, access.module.name, [id]);
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

/** Plans a record's write in the request's transaction; later actions of the request read the record as written. */
const planRecordWrite = async (scope: KioskActionScope, module: string, next: RecordItem, part: WritePart): Promise<RecordView> => {
  await scope.writes.add(part);
  scope.reads.overlay(recordKeys.key(module, next.id), next as unknown as Item);
  return toRecordView(next);
};

/** A field-level change through the records core's one builder (access, locks, governed fields, derived items). */
const update = async (scope: KioskActionScope, module: string, idValue: unknown, patch: { fields?: Record<string, unknown>; ownerId?: string }): Promise<{ record: RecordView }> => {
  const id = asId(idValue, `${module} record`);
  const access = await accessTo(scope, module, 'update', [recordKeys.key(module, id)]);
  const fields = checkedFields(access, patch.fields ?? {}, 'patch', scope.deps);
  if (patch.ownerId !== undefined) await checkOwnerAssignment(scope.deps, access.principal, patch.ownerId);
  const current = scope.reads.record(access.module.name, id);
  if (!current) throw new NotFound(`No ${access.module.name} record ${id}`);
  await preWriteChecks(current, { kind: 'update', next: current, changes: [] }, { check: (record) => enforceOnRecord(scope.deps, access, 'update', record) });
  const built = await buildUpdateItems(scope.deps, access.module, current, { fields, ...(patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {}) }, scope.ctx, access.processes ? { processes: access.processes } : {});
  if (built.noop) return { record: toRecordView(current) };
  const written = () => businessMetric('RecordsUpdated', 1, { module: access.module.name });
  return { record: await planRecordWrite(scope, access.module.name, built.next, { items: built.items, failure: built.failure, written }) };
};

/** Creates a record once per (run, step): a retry of the same step finds the record it made. */
const createOnce = async (scope: KioskActionScope, module: string, fields: Record<string, unknown>, ownerId?: string): Promise<{ record: RecordView }> => {
  const id = stepRecordId(scope);
  const access = await accessTo(scope, module, 'create', scope.mayHaveWritten ? [recordKeys.key(module, id)] : []);
  const values = checkedFields(access, fields, 'create', scope.deps);
  const existing = scope.mayHaveWritten ? scope.reads.record(access.module.name, id) : undefined;
  if (existing) return { record: toRecordView(existing) };
  const built = await buildCreateItems(scope.deps, access.module, { id, ownerId: ownerId ?? access.principal.userId, fields: values as FieldValues }, scope.ctx, access.processes ? { processes: access.processes } : {});
  const written = () => businessMetric('RecordsCreated', 1, { module: access.module.name });
  return { record: await planRecordWrite(scope, access.module.name, built.item, { items: built.items, failure: built.failure, written }) };
};

/**
 * Who a notification reaches: users (in-app and their directory email), teams (their members, as the
 * kiosk-notify consumer finds them) and plain addresses (email only). Named users must be in the
 * directory; a record's owner is one by construction.
 */
const recipients = async (scope: KioskActionScope, action: Extract<KioskAction, { type: 'notify' }>) => {
  const named = new Set<string>();
  const owners = new Set<string>();
  const teamIds = new Set<string>();
  const emails = new Set<string>();
  for (const to of action.to) {
    if (to.kind === 'user') named.add(asId(to.userId, 'user'));
    else if (to.kind === 'team') teamIds.add(to.teamId);
    else if (to.kind === 'recordOwner') {
      const access = await accessTo(scope, to.module, 'read');
      owners.add((await readableRecord(scope, access, asId(to.id, `${to.module} record`))).ownerId);
    } else if (typeof to.address === 'string' && to.address.includes('@')) emails.add(to.address.trim().toLowerCase());
  }
  await scope.reads.load([...named].map((id) => userKeys.key(id)));
  const userIds = new Set([...owners, ...[...named].filter((id) => scope.reads.item(userKeys.key(id)) !== undefined)]);
  return { userIds: [...userIds], teamIds: [...teamIds], emails: [...emails] };
};

/** Asks for a step's side effect once: after writes that may have asked already, the step's marker is looked for first. */
const requestOnce = async (scope: KioskActionScope, part: WritePart): Promise<void> => {
  const marker = kioskStepMarker({ runId: scope.runId, nodeId: scope.nodeId, step: scope.step });
  if (scope.mayHaveWritten) {
    await scope.reads.load([marker]);
    if (scope.reads.item(marker)) return;
  }
  await scope.writes.add(part);
};

/**
 * Carries out one (resolved) kiosk action. Reads and writes go through the records core as the user,
 * so their rights, locks and governed fields hold; writes are attributed to the kiosk (`via: kiosk`).
 * Nothing is written here: writes join the request's one transaction (kiosk-writes.ts). Notifications
 * are not sent here either: a `kiosk.notification-requested` history entry (the outbox) is written once
 * per (run, step), and the kiosk-notify consumer sends them, at most once each; webhooks likewise go
 * through `kiosk.webhook-requested` to the kiosk-webhook consumer.
 */
export const executeKioskAction = async (scope: KioskActionScope, action: KioskAction): Promise<unknown> => {
  const step = { runId: scope.runId, nodeId: scope.nodeId, step: scope.step };
  switch (action.type) {
    case 'findRecords':
      return findRecords(scope, action, scope.nodeId);
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
      const count = to.userIds.length + to.teamIds.length + to.emails.length;
      if (count === 0) throw new Unprocessable('Nobody to notify: every recipient resolved to nothing');
      await requestOnce(scope, kioskNotificationPart(scope.deps, { ...step, channels: action.channels, subject: action.subject, message: action.message, ...to, ...(action.customer ? { customer: action.customer } : {}) }, scope.ctx));
      return { notified: count, userIds: to.userIds, teamIds: to.teamIds };
    }
    case 'webhook':
      // Posted after the request by the kiosk-webhook consumer (signed, retried, SSRF-guarded), once per (run, step).
      await requestOnce(scope, kioskWebhookPart(scope.deps, { ...step, url: action.url, payload: action.payload as Record<string, unknown> }, scope.ctx));
      return { requested: true };
  }
};
