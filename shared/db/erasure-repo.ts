import { isDeepStrictEqual } from 'node:util';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { eraseChanges, eraseFields, personalFieldNames, personalValues, scrubDeep, valueScrubber, ERASED } from '../domain/records/erasure.js';
import { Conflict } from '../domain/errors.js';
import { historyPut, readHistoryItem, storedHistoryItem, type ChangeContext, type HistoryChange, type HistoryItem, type StoredHistoryItem } from './history.js';
import { OUTBOX_ENTITY } from './table-definition.js';
import type { FieldValues } from '../domain/records/field-values.js';
import { cadenceMailKeys, deadLetterKeys, historyKeys, journeyKeys, recordKeys, refKeys, requestKeys, suppressionKeys, type Key } from './keys.js';
import { quotesOf, type QuoteTarget } from './quotes.js';
import { openTaskKey, TASKS_MODULE } from './task-index.js';
import { queryAll } from './query.js';
import { getRecord, requireRecord, type RecordErasure, type RecordItem } from './records-repo.js';
import { indexWrites } from './record-index-items.js';
import { recordViewGeneration, viewGeneration } from './record-view-items.js';
import { listRecordEnrollments, SEND_CLAIM_LEASE_MS, type EnrollmentItem } from './enrollments-repo.js';
import { getCadenceVersion } from './cadences-repo.js';
import { instancesOfCustomers } from './journeys-repo.js';
import { suppressionPut, type SuppressionItem } from './suppression-repo.js';
import { ConditionFailed, transactWrite } from './transact.js';

type Scrub = (text: string) => string;
type StoredItem = Record<string, unknown> & Key;

/** How many times one item is re-read and rewritten when its writer keeps moving it meanwhile. */
const REWRITE_ATTEMPTS = 5;

const getItem = async (deps: AppDeps, key: Key): Promise<StoredItem | undefined> =>
  (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }))).Item as StoredItem | undefined;

/**
 * Rewrites one item with `rewrite` applied, if that changes it. Its own writers' optimistic guard is
 * honoured and moved on (`version`, `rev`): a writer that read it before the scrub loses its race and
 * re-reads the scrubbed item, so no erased value comes back. An item gone meanwhile stays gone.
 */
const rewriteItem = async (deps: AppDeps, first: StoredItem, rewrite: (item: StoredItem) => StoredItem): Promise<void> => {
  let item: StoredItem | undefined = first;
  for (let attempt = 1; item && attempt <= REWRITE_ATTEMPTS; attempt++) {
    const next = rewrite(item);
    if (next === item) return;
    const guard = typeof item.version === 'number' ? 'version' : typeof item.rev === 'number' ? 'rev' : undefined;
    const moved = guard ? { ...next, [guard]: (item[guard] as number) + 1 } : next;
    try {
      await deps.db.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: moved,
          ConditionExpression: guard ? '#g = :g' : 'attribute_exists(PK)',
          ...(guard ? { ExpressionAttributeNames: { '#g': guard }, ExpressionAttributeValues: { ':g': item[guard] } } : {}),
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      item = await getItem(deps, { PK: item.PK, SK: item.SK });
    }
  }
  if (item) throw new Conflict('An item of this record kept changing during its erasure; erase it again to finish');
};

const scrubbing = (scrub: Scrub) => (item: StoredItem) => scrubDeep(item, scrub) as StoredItem;

/** Every item of a partition, scrubbed; `except` items (by SK) are left to the caller. */
const scrubPartition = async (deps: AppDeps, pk: string, rewrite: (item: StoredItem) => StoredItem, except: readonly string[] = []): Promise<void> => {
  const items = await queryAll<StoredItem>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });
  for (const item of items) if (!except.includes(item.SK)) await rewriteItem(deps, item, rewrite);
};

/**
 * A history entry: its changes of personal fields erased as a whole (however short), wherever the entry
 * carries them (its own and its event's `data.changes`), the rest scrubbed by value. Read whole and
 * stored again as history is stored (shared/db/history.ts). Other items of the partition: scrubbed.
 */
const historyRewrite = (personal: ReadonlySet<string>, scrub: Scrub) => (item: StoredItem) => {
  if (item.entity !== OUTBOX_ENTITY) return scrubbing(scrub)(item);
  const entry = readHistoryItem(item as unknown as StoredHistoryItem);
  const data = entry.data as Record<string, unknown> | undefined;
  const erased: HistoryItem = {
    ...entry,
    changes: eraseChanges(entry.changes, personal),
    data: data && Array.isArray(data.changes) ? { ...data, changes: eraseChanges(data.changes as HistoryChange[], personal) } : entry.data,
  };
  const next = scrubDeep(erased, scrub) as HistoryItem;
  return isDeepStrictEqual(next, entry) ? item : (storedHistoryItem(next) as unknown as StoredItem);
};

type SendMarkerItem = StoredItem & { status?: string; claimedAtMs?: number; replyToken?: string; messageId?: string };

/**
 * A send claimed before the erasure and not yet settled: its sender will still write the address (the
 * SES message item, the `cadence.email-sent` entry). Past its lease it is abandoned, not in flight.
 */
const sendInFlight = (marker: SendMarkerItem | undefined, step: EnrollmentItem['steps'][string] | undefined): boolean => {
  if (!marker || Date.now() - (marker.claimedAtMs ?? 0) > SEND_CLAIM_LEASE_MS) return false;
  return marker.status === 'SENDING' || (marker.status === 'SENT' && step?.status !== 'sent');
};

/**
 * An enrollment and its mail bookkeeping: send markers (one per step of its cadence version), the
 * Reply-To tokens and SES message ids they map. A send in flight is waited for (409: erase again), so
 * nothing it writes afterwards escapes the scrub; after the erasure mark no new send can be claimed.
 */
const scrubEnrollment = async (deps: AppDeps, enrollment: EnrollmentItem, scrub: Scrub): Promise<void> => {
  const definition = await getCadenceVersion(deps, enrollment.cadenceId, enrollment.cadenceVersion);
  const stepIds = new Set([...Object.keys(enrollment.steps ?? {}), ...(definition?.steps.map((s) => s.id) ?? [])]);
  const markers = new Map<string, SendMarkerItem | undefined>();
  for (const stepId of stepIds) markers.set(stepId, (await getItem(deps, cadenceMailKeys.send(enrollment.enrollmentId, stepId))) as SendMarkerItem | undefined);
  if ([...markers].some(([stepId, marker]) => sendInFlight(marker, enrollment.steps?.[stepId]))) {
    throw new Conflict('A cadence email to this record is being sent right now; send the erasure again in a minute to finish it');
  }
  await rewriteItem(deps, enrollment as unknown as StoredItem, scrubbing(scrub));
  for (const [stepId, marker] of markers) {
    const step = enrollment.steps?.[stepId];
    const keys: Key[] = [
      ...(marker ? [{ PK: marker.PK, SK: marker.SK }] : []),
      ...(marker?.replyToken ? [cadenceMailKeys.replyToken(marker.replyToken)] : []),
      ...(step?.messageId ? [cadenceMailKeys.message(step.messageId)] : []),
      ...(marker?.messageId && marker.messageId !== step?.messageId ? [cadenceMailKeys.message(marker.messageId)] : []),
    ];
    for (const key of keys) {
      const item = await getItem(deps, key);
      // The recipient is the record's address: erased whole, whatever its form.
      if (item) await rewriteItem(deps, item, (i) => scrubbing(scrub)(typeof i.to === 'string' ? { ...i, to: ERASED } : i));
    }
  }
};

/** An address suppressed before digests were the key: moved under its digest (the reason kept), the address dropped. */
const moveLegacySuppression = async (deps: AppDeps, address: string): Promise<void> => {
  const legacy = (await getItem(deps, suppressionKeys.legacyKey(address))) as (StoredItem & SuppressionItem) | undefined;
  if (!legacy) return;
  await transactWrite(deps, [
    suppressionPut(deps, address, legacy.reason, legacy.source),
    { Delete: { TableName: deps.tableName, Key: suppressionKeys.legacyKey(address) } },
  ]);
};

/** How far copies of copies are followed: a contact ← its travel application ← a request about that ← a notification about the request. */
const MAX_HOPS = 4;

/** The records that point at a record through a lookup field (their names often quote the customer's). */
const referencingPartitions = async (deps: AppDeps, subjectPK: string): Promise<string[]> => {
  const record = recordKeys.ofPartition(subjectPK);
  if (!record) return [];
  const refs = await queryAll<{ SK: string }>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': refKeys.partition(record.module, record.id) } });
  return refs.map((ref) => {
    const [module = '', , id = ''] = ref.SK.split('#');
    return recordKeys.key(module, id).PK;
  });
};

/** The items a record's partition carries elsewhere: a task's open-task index entry (its subject), a request's own partition (its title). */
const scrubDerived = async (deps: AppDeps, subjectPK: string, scrub: Scrub): Promise<void> => {
  const ref = recordKeys.ofPartition(subjectPK);
  if (!ref) return;
  const record = await getItem(deps, recordKeys.key(ref.module, ref.id));
  const taskKey = ref.module === TASKS_MODULE ? openTaskKey(ref.id, record?.fields as FieldValues | undefined) : undefined;
  const entry = taskKey ? await getItem(deps, taskKey) : undefined;
  if (entry) await rewriteItem(deps, entry, scrubbing(scrub));
  await scrubPartition(deps, requestKeys.partition(ref.id), scrubbing(scrub));
};

/**
 * Every copy of the record's values outside its own partition that a way leads to (never a Scan),
 * followed hop by hop up to MAX_HOPS, each subject once: the records pointing at a record through a
 * lookup field; what quotes a subject (shared/db/quotes.ts: tasks about a record, kiosk runs and wizard
 * sessions that loaded or made it, notifications, stored idempotent responses); a record's derived items.
 * A partition reached is scrubbed whole (a record or run with its history); a quoted item alone.
 */
const scrubCopies = async (deps: AppDeps, record: RecordItem, scrub: Scrub): Promise<void> => {
  const seen = new Set<string>([record.PK]);
  await scrubDerived(deps, record.PK, scrub);
  let frontier = [record.PK];
  for (let hop = 1; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const subject of frontier) {
      const targets: QuoteTarget[] = [...(await referencingPartitions(deps, subject)).map((PK) => ({ PK })), ...(await quotesOf(deps, subject))];
      for (const target of targets) {
        const id = `${target.PK}|${target.SK ?? '*'}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (target.SK) {
          const item = await getItem(deps, { PK: target.PK, SK: target.SK });
          if (item) await rewriteItem(deps, item, scrubbing(scrub));
          continue;
        }
        await scrubPartition(deps, target.PK, scrubbing(scrub));
        await scrubDerived(deps, target.PK, scrub);
        next.push(target.PK);
      }
    }
    frontier = next;
  }
};

/** Dead letters are few and short-lived (a TTL): each one quoting a personal value is scrubbed. */
const scrubDeadLetters = async (deps: AppDeps, scrub: Scrub): Promise<void> => {
  const letters = await queryAll<StoredItem>(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': deadLetterKeys.listPartition } });
  for (const letter of letters) {
    const full = await getItem(deps, { PK: letter.PK, SK: letter.SK });
    if (full) await rewriteItem(deps, full, scrubbing(scrub));
  }
};

/**
 * Every personal value the record ever held: its current ones and the old and new sides of its history's
 * changes (a value replaced long ago is still copied in old entries, enrollments, mail).
 */
const huntedValues = async (deps: AppDeps, module: ModuleMetadata, record: RecordItem, personal: ReadonlySet<string>): Promise<string[]> => {
  const entries = await queryAll<StoredItem>(deps, { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :hist)', ExpressionAttributeValues: { ':pk': record.PK, ':hist': historyKeys.prefix }, ConsistentRead: true });
  const marked = { fields: module.fields.filter((f) => personal.has(f.name)).map((f) => ({ ...f, personal: true })) };
  const former = entries.flatMap((entry) => (entry.entity === OUTBOX_ENTITY ? readHistoryItem(entry as unknown as StoredHistoryItem).changes : [])).filter((c) => personal.has(c.field)).flatMap((c) => [{ [c.field]: c.old }, { [c.field]: c.new }]);
  const values = [record.fields, ...former].flatMap((fields) => personalValues(marked, fields, deps.defaultPhoneRegion)).filter((v) => v !== ERASED);
  return [...new Set(values)].sort((a, b) => b.length - a.length || a.localeCompare(b));
};

/**
 * 1. Mark the record erased (one transaction: the record's `erasure` flag, version + 1, and the
 *    `record.erased` history entry: who, when, why, which fields; no values). From here on no write
 *    changes it and no cadence or journey contacts it. Its values stay until step 3, so a retry can
 *    find their copies.
 */
const markErasing = async (deps: AppDeps, module: ModuleMetadata, ctx: ChangeContext, reason: string, id: string): Promise<RecordItem> => {
  for (let attempt = 1; attempt <= REWRITE_ATTEMPTS; attempt++) {
    const current = await requireRecord(deps, module.name, id);
    if (current.erasure) return current;
    const now = deps.clock().toISOString();
    const fields = personalFieldNames(module);
    const erasure: RecordErasure = { status: 'pending', requestedAt: now, requestedBy: ctx.actor, reason, fields, hunted: await huntedValues(deps, module, current, new Set(fields)) };
    const next: RecordItem = { ...current, erasure, version: current.version + 1 };
    try {
      await transactWrite(deps, [
        { Put: { TableName: deps.tableName, Item: next, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } } },
        historyPut(deps.tableName, {
          subjectPK: current.PK,
          subject: { type: 'record', id: current.id, module: current.module },
          eventId: deps.newId(),
          eventName: 'record.erased',
          occurredAt: now,
          summary: `Personal data erased: ${erasure.fields.join(', ') || 'no field is marked personal'}`,
          data: { module: current.module, recordId: current.id, version: next.version, fields: erasure.fields },
          context: { ...ctx, reason },
        }),
      ]);
      return next;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
    }
  }
  throw new Conflict('The record is being changed by many others at once; try the erasure again');
};

/**
 * 3. The record itself last: personal fields removed, other texts scrubbed, its lookup and unique
 *    items (keyed by the values) deleted, and the erasure marked done. Conditional on the version
 *    read (only the view backfill's stamp can move meanwhile: then re-read).
 */
const finishErasure = async (deps: AppDeps, module: ModuleMetadata, record: RecordItem, personal: ReadonlySet<string>, scrub: Scrub): Promise<RecordItem> => {
  let current = record;
  for (let attempt = 1; attempt <= REWRITE_ATTEMPTS; attempt++) {
    const now = deps.clock().toISOString();
    const fields = eraseFields(current.fields, personal, scrub) as RecordItem['fields'];
    const counted = recordViewGeneration(current) === viewGeneration(module) ? current.fields : undefined;
    const writes = indexWrites(deps.tableName, module, current.id, current.fields, fields, deps.defaultPhoneRegion, { fields: counted });
    const { hunted: _hunted, ...erasure } = current.erasure as RecordErasure;
    const next: RecordItem = { ...current, fields, version: current.version + 1, erasure: { ...erasure, status: 'done', erasedAt: now } };
    try {
      await transactWrite(deps, [{ Put: { TableName: deps.tableName, Item: next, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } } }, ...writes.map((w) => w.item)]);
      return next;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      const latest = await getRecord(deps, module.name, current.id);
      if (!latest || latest.erasure?.status === 'done') return latest ?? current;
      current = latest;
    }
  }
  throw new Conflict('The record kept changing during its erasure; erase it again to finish');
};

/**
 * Erases a record's personal data (the fields its module marks `personal`) from the record and every
 * copy Keiro keeps of them. Idempotent and resumable: each step may be cut off and the same command
 * finishes it (a done erasure answers as it is).
 * 1. Mark the record erased (see markErasing).
 * 2. Scrub the copies, item by item (no transaction limit): its enrollments with their send markers,
 *    Reply-To tokens and SES message items (a send in flight: 409, erase again); the record's history
 *    (after the enrollments, so a send's `email.sent` entry is never missed); its journey instances and their
 *    history; every copy a way leads to (see scrubCopies: records pointing at it, tasks, requests,
 *    notifications, kiosk runs, wizard sessions, idempotent responses); dead letters; a suppression of
 *    its address kept under the address itself moves under its digest.
 * 3. The record itself (see finishErasure).
 */
export const eraseRecord = async (deps: AppDeps, module: ModuleMetadata, id: string, ctx: ChangeContext, reason: string): Promise<RecordItem> => {
  const record = await markErasing(deps, module, ctx, reason, id);
  if (record.erasure?.status === 'done') return record;
  const personal = new Set(record.erasure?.fields ?? personalFieldNames(module));
  const scrub = valueScrubber(record.erasure?.hunted ?? []);

  // Enrollments first: a send in flight still writes the address into the record's history (its
  // `email.sent` entry, with the step's outcome). Once none is in flight none can start (the mark), so
  // the history read after this holds every entry any sender will ever write.
  for (const enrollment of await listRecordEnrollments(deps, module.name, id)) {
    const full = (await getItem(deps, { PK: enrollment.PK, SK: enrollment.SK })) as unknown as EnrollmentItem | undefined;
    if (full) await scrubEnrollment(deps, full, scrub);
  }
  await scrubPartition(deps, record.PK, historyRewrite(personal, scrub), [record.SK]);
  for (const { instanceId } of await instancesOfCustomers(deps, [id])) await scrubPartition(deps, journeyKeys.instance(instanceId).PK, scrubbing(scrub));
  await scrubCopies(deps, record, scrub);
  await scrubDeadLetters(deps, scrub);
  for (const field of module.fields) {
    const value = record.fields[field.name];
    if (field.type === 'email' && personal.has(field.name) && typeof value === 'string') await moveLegacySuppression(deps, value);
  }
  return finishErasure(deps, module, record, personal, scrub);
};
