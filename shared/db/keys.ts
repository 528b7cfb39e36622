/**
 * Every entity's key format lives here and nowhere else (Alex DeBrie style single-table keys).
 * Builders return the attributes to spread into an item; `*Key` helpers return just { PK, SK }.
 *
 * Index use:
 * - GSI1: "list by parent, newest first" (records of a module by updatedAt, users, modules, dead letters).
 * - GSI2: secondary listings (e.g. records of a module by a picklist value, requests by requester).
 * - GSI3: tertiary listings (e.g. requests by assignee).
 */
import { addressDigest } from '../domain/records/erasure.js';

export type Key = { PK: string; SK: string };

const SEP = '#';
const join = (...parts: Array<string | number>): string => parts.join(SEP);

/** Zero-padded so lexicographic order equals numeric order. */
export const padVersion = (version: number): string => String(version).padStart(10, '0');

export const moduleKeys = {
  key: (name: string): Key => ({ PK: join('MODULE', name), SK: 'META' }),
  item: (name: string) => ({ ...moduleKeys.key(name), GSI1PK: 'MODULES', GSI1SK: name }),
  listPartition: 'MODULES',
};

export const recordKeys = {
  key: (module: string, id: string): Key => ({ PK: join('REC', module, id), SK: 'REC' }),
  item: (module: string, id: string, updatedAt: string) => ({
    ...recordKeys.key(module, id),
    GSI1PK: recordKeys.listPartition(module),
    GSI1SK: join(updatedAt, id),
  }),
  listPartition: (module: string): string => join('RECS', module),
  /** The module and id of a record's partition (`REC#<module>#<id>`); anything else: undefined. */
  ofPartition: (pk: string): { module: string; id: string } | undefined => {
    const [kind, module, id, ...rest] = pk.split(SEP);
    return kind === 'REC' && module && id && rest.length === 0 ? { module, id } : undefined;
  },
  /** Index item for equality on a picklist value: records of a module grouped by field value (per view generation). */
  groupPartition: (module: string, field: string, value: string, generation = 1): string => join('RECGRP', viewScope(module, generation), field, value),
  /** One item per (record, picklist field) in its value's group partition: kanban columns list records from it. */
  groupItem: (module: string, field: string, value: string, id: string, generation = 1): Key => ({ PK: recordKeys.groupPartition(module, field, value, generation), SK: id }),
};

/** History entries are read by time across subjects (shadow runs) in this many partitions per day. */
export const HISTORY_DAY_SHARDS = 4;

/**
 * History entries live in the partition of their subject (record, request, team space, …). Each also
 * carries GSI3 attributes placing it in its UTC day (sharded by event id, so one day's writes spread
 * over HISTORY_DAY_SHARDS index partitions): the whole org's history, read by time, with no extra item.
 */
export const historyKeys = {
  key: (subjectPK: string, occurredAt: string, eventId: string): Key => ({
    PK: subjectPK,
    SK: join('HIST', occurredAt, eventId),
  }),
  prefix: 'HIST#',
  /** The time and event id a history entry's sort key (`HIST#<occurredAt>#<eventId>`) was built from; anything else: undefined. */
  ofSortKey: (sk: string): { occurredAt: string; eventId: string } | undefined => {
    const [kind, occurredAt, ...id] = sk.split(SEP);
    return kind === 'HIST' && occurredAt && id.length > 0 ? { occurredAt, eventId: id.join(SEP) } : undefined;
  },
  dayPartition: (day: string, shard: number): string => join('HISTDAY', day, shard),
  byDay: (occurredAt: string, eventId: string) => ({
    GSI3PK: historyKeys.dayPartition(occurredAt.slice(0, 10), shardOf(eventId)),
    GSI3SK: join(occurredAt, eventId),
  }),
};

/** A stable shard of an id (FNV-1a), in 0..HISTORY_DAY_SHARDS-1. */
const shardOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % HISTORY_DAY_SHARDS;
};

/** Exact-match lookups on normalised phone/email values: one item per (record, field). */
export const lookupKeys = {
  key: (module: string, field: string, normalised: string, recordId: string): Key => ({
    PK: join('LOOKUP', module, field, normalised),
    SK: recordId,
  }),
  partition: (module: string, field: string, normalised: string): string => join('LOOKUP', module, field, normalised),
};

/** Unique-value guards: the item exists while a record holds the value. */
export const uniqueKeys = {
  key: (module: string, field: string, normalised: string): Key => ({
    PK: join('UNIQUE', module, field, normalised),
    SK: 'UNIQUE',
  }),
};

/** Reverse references for related lists: target record ← source record through a lookup field. */
export const refKeys = {
  key: (targetModule: string, targetId: string, sourceModule: string, field: string, sourceId: string): Key => ({
    PK: join('REF', targetModule, targetId),
    SK: join(sourceModule, field, sourceId),
  }),
  partition: (targetModule: string, targetId: string): string => join('REF', targetModule, targetId),
  sourcePrefix: (sourceModule: string): string => `${sourceModule}${SEP}`,
};

export const userKeys = {
  key: (id: string): Key => ({ PK: join('USER', id), SK: 'PROFILE' }),
  item: (id: string) => ({ ...userKeys.key(id), GSI1PK: 'USERS', GSI1SK: id }),
  listPartition: 'USERS',
};

export const idempotencyKeys = {
  key: (userId: string, idempotencyKey: string): Key => ({ PK: join('IDEM', userId, idempotencyKey), SK: 'IDEM' }),
};

/**
 * View items (counters, kanban group items) belong to a generation of the module's views: the module
 * definition's version they were computed for. Generation 1 (a module never changed) keeps the plain
 * module name; a later one is `<module>@<generation>` ('@' is not allowed in module names), so a
 * backfill builds the new generation beside the old one.
 */
const viewScope = (module: string, generation: number): string => (generation > 1 ? `${module}@${generation}` : module);

export const counterKeys = {
  /** Counts of a module's records per value of a picklist field (kanban column counts, charts), per view generation. */
  key: (module: string, field: string, generation = 1): Key => ({ PK: join('COUNT', viewScope(module, generation), field), SK: 'COUNT' }),
};

/** Progress of the view backfill of one module, one item per generation (see functions/records/view-backfill.ts). */
export const viewBackfillKeys = {
  key: (module: string, generation: number): Key => ({ PK: join('VIEWBACKFILL', module), SK: join('GEN', String(generation).padStart(10, '0')) }),
  partition: (module: string): string => join('VIEWBACKFILL', module),
};

export const deadLetterKeys = {
  key: (id: string): Key => ({ PK: join('DEADLETTER', id), SK: 'DEADLETTER' }),
  item: (id: string, failedAt: string) => ({ ...deadLetterKeys.key(id), GSI1PK: 'DEADLETTERS', GSI1SK: join(failedAt, id) }),
  listPartition: 'DEADLETTERS',
};

/** Consumer idempotency: one marker per (consumer, event id). */
export const consumedKeys = {
  key: (consumer: string, eventId: string): Key => ({ PK: join('CONSUMED', consumer, eventId), SK: 'CONSUMED' }),
};

/** Local Step Functions executions, so the local runner can re-create them after a restart. */
export const executionKeys = {
  key: (executionId: string): Key => ({ PK: join('EXECUTION', executionId), SK: 'EXECUTION' }),
  item: (executionId: string, status: string, startedAt: string) => ({
    ...executionKeys.key(executionId),
    GSI1PK: join('EXECUTIONS', status),
    GSI1SK: join(startedAt, executionId),
  }),
  statusPartition: (status: string): string => join('EXECUTIONS', status),
};

/**
 * A shadow run's own items, all in its partition: the run (request, status, progress, cursor), its saved
 * replay state and its result (each cut into chunks below the item size limit). Nothing else is written.
 */
export const shadowRunKeys = {
  partition: (id: string): string => join('SHADOW', id),
  run: (id: string): Key => ({ PK: shadowRunKeys.partition(id), SK: 'RUN' }),
  chunk: (id: string, part: 'STATE' | 'RESULT', index: number): Key => ({ PK: shadowRunKeys.partition(id), SK: join(part, String(index).padStart(4, '0')) }),
  chunkPrefix: (part: 'STATE' | 'RESULT'): string => `${part}${SEP}`,
  /** The local state-machine runner's execution of a run (its item names the run too). */
  executionName: (id: string): string => join('shadow', id).replace('#', '-'),
};

/** Marks that the demo seed ran, so a second start does not seed twice. */
export const seedKeys = {
  key: (name: string): Key => ({ PK: join('SEED', name), SK: 'SEED' }),
};

/**
 * Team spaces and who belongs to them. Membership and requester items also sit in the user's
 * GSI1 partition, so loading a caller's principal is one Query.
 */
export const teamKeys = {
  key: (teamId: string): Key => ({ PK: join('TEAM', teamId), SK: 'META' }),
  item: (teamId: string, name: string) => ({ ...teamKeys.key(teamId), GSI1PK: 'TEAMS', GSI1SK: join(name, teamId) }),
  listPartition: 'TEAMS',
  member: (teamId: string, userId: string) => ({
    PK: join('TEAM', teamId),
    SK: join('MEMBER', userId),
    GSI1PK: userTeamsPartition(userId),
    GSI1SK: join('MEMBER', teamId),
  }),
  memberKey: (teamId: string, userId: string): Key => ({ PK: join('TEAM', teamId), SK: join('MEMBER', userId) }),
  memberPrefix: 'MEMBER#',
  /**
   * The org admin's revocation of a user's team admin rights, kept when that user leaves the team, so
   * that removing and re-adding them does not lift it (only an org admin may).
   */
  adminRevokedKey: (teamId: string, userId: string): Key => ({ PK: join('TEAM', teamId), SK: join('ADMINREVOKED', userId) }),
  requester: (module: string, userId: string) => ({
    PK: join('TEAMMODULE', module),
    SK: join('REQUESTER', userId),
    GSI1PK: userTeamsPartition(userId),
    GSI1SK: join('REQUESTER', module),
  }),
  requesterKey: (module: string, userId: string): Key => ({ PK: join('TEAMMODULE', module), SK: join('REQUESTER', userId) }),
  requesterPrefix: 'REQUESTER#',
  /** A team module's own settings (assignment rules, round-robin position), beside its requesters. */
  moduleConfigKey: (module: string): Key => ({ PK: join('TEAMMODULE', module), SK: 'CONFIG' }),
};

/** GSI1 partition holding a user's team memberships and requester grants. */
export function userTeamsPartition(userId: string): string {
  return join('USERTEAMS', userId);
}

/**
 * A request is a record of its team module; this locator (found by id alone) says which module, and
 * indexes it by module (GSI1, the team's queue) and requester (GSI2, "My Requests"). The request's
 * requester-facing history entries sit in the same partition.
 */
export const requestKeys = {
  key: (id: string): Key => ({ PK: join('REQUEST', id), SK: 'REQUEST' }),
  partition: (id: string): string => join('REQUEST', id),
  /**
   * The copy of the request's newest history entries (request-history-copy.ts), beside its locator. Its
   * sort key ("COPY") sorts before every "HIST#…", so the partition's descending read meets it last, and
   * it has no index keys (the copy is not written again into the GSIs).
   */
  historyCopy: (id: string): Key => ({ PK: join('REQUEST', id), SK: 'COPY' }),
  item: (id: string, module: string, requesterId: string, createdAt: string) => ({
    ...requestKeys.key(id),
    GSI1PK: requestKeys.modulePartition(module),
    GSI1SK: join(createdAt, id),
    GSI2PK: requestKeys.requesterPartition(requesterId),
    GSI2SK: join(createdAt, id),
  }),
  modulePartition: (module: string): string => join('REQUESTS', module),
  requesterPartition: (userId: string): string => join('REQUESTER', userId),
};

/** In-app notifications: the recipient's partition, newest last by (time, event id). */
export const notificationKeys = {
  key: (userId: string, occurredAt: string, id: string): Key => ({ PK: notificationKeys.partition(userId), SK: join(occurredAt, id) }),
  partition: (userId: string): string => join('NOTIF', userId),
  /** GSI2: a recipient's notifications by id (find one to mark it read). */
  byIdPartition: (userId: string): string => join('NOTIFID', userId),
  /** GSI3 (sparse, only while unread): a recipient's unread notifications. */
  unreadPartition: (userId: string): string => join('NOTIFUNREAD', userId),
};

/** At-most-once email: one marker per (event, recipient), claimed before the send. */
export const mailMarkerKeys = {
  /** The recipient by digest: a marker never holds an address (nothing to erase, and it outlives the record). */
  key: (eventId: string, recipient: string): Key => ({ PK: join('MAILSENT', eventId, addressDigest(recipient)), SK: 'MAILSENT' }),
};

/**
 * Process definitions (blueprints, approval processes, review processes): a head item (the draft,
 * listed by kind and module in GSI1) and one immutable item per published version.
 */
export const processDefinitionKeys = {
  key: (kind: string, id: string): Key => ({ PK: join('PROCDEF', kind, id), SK: 'HEAD' }),
  item: (kind: string, id: string, module: string) => ({ ...processDefinitionKeys.key(kind, id), GSI1PK: processDefinitionKeys.listPartition(kind), GSI1SK: join(module, id) }),
  versionKey: (kind: string, id: string, version: number): Key => ({ PK: join('PROCDEF', kind, id), SK: join('V', padVersion(version)) }),
  listPartition: (kind: string): string => join('PROCDEFS', kind),
};

/** What the records core checks on every write of a module: its published blueprint, approval and review processes. */
export const moduleProcessKeys = {
  key: (module: string): Key => ({ PK: join('MODPROC', module), SK: 'STATE' }),
};

/**
 * Approvals and reviews: the item, an inbox item per person who may decide it now (deleted when they
 * no longer may), and the record's runs in GSI1 (newest last).
 */
export const approvalKeys = {
  key: (id: string): Key => ({ PK: join('APPROVAL', id), SK: 'APPROVAL' }),
  item: (id: string, module: string, recordId: string, submittedAt: string) => ({ ...approvalKeys.key(id), GSI1PK: join('APPROVALS', module, recordId), GSI1SK: join(submittedAt, id) }),
  recordPartition: (module: string, recordId: string): string => join('APPROVALS', module, recordId),
  inbox: (userId: string, submittedAt: string, id: string): Key => ({ PK: approvalKeys.inboxPartition(userId), SK: join(submittedAt, id) }),
  inboxPartition: (userId: string): string => join('APPROVALINBOX', userId),
};

export const reviewKeys = {
  key: (id: string): Key => ({ PK: join('REVIEW', id), SK: 'REVIEW' }),
  item: (id: string, module: string, recordId: string, createdAt: string) => ({ ...reviewKeys.key(id), GSI1PK: join('REVIEWS', module, recordId), GSI1SK: join(createdAt, id) }),
  inbox: (userId: string, createdAt: string, id: string): Key => ({ PK: reviewKeys.inboxPartition(userId), SK: join(createdAt, id) }),
  inboxPartition: (userId: string): string => join('REVIEWINBOX', userId),
};

/**
 * Shared timer (stepfunctions/timer). A pending wait is an item in its time bucket's partition (the
 * bucket is the instant it opens, shared/domain/timers/timer.ts timerBucket); its sort key is unique
 * per scheduling write.
 */
export const timerKeys = {
  bucketPartition: (bucket: string): string => join('TIMERBUCKET', bucket),
  wait: (bucket: string, eventId: string): Key => ({ PK: timerKeys.bucketPartition(bucket), SK: join('WAIT', eventId) }),
  /** The claim of one wake, per (kind, key, token) as the execution name was: it makes a wait wake once. */
  wake: (timerName: string): Key => ({ PK: join('TIMERWAKE', timerName), SK: 'WAKE' }),
};

/**
 * Cadences: the definition (current version, listed on GSI1; on GSI2 under its module while active,
 * for automatic enrollment), its immutable versions, and its report counters.
 */
export const cadenceKeys = {
  key: (id: string): Key => ({ PK: join('CADENCE', id), SK: 'META' }),
  item: (id: string, name: string) => ({ ...cadenceKeys.key(id), GSI1PK: cadenceKeys.listPartition, GSI1SK: join(name.toLowerCase(), id) }),
  listPartition: 'CADENCES',
  activePartition: (module: string): string => join('CADENCES', 'ACTIVE', module),
  version: (id: string, version: number): Key => ({ PK: join('CADENCE', id), SK: join('VER', padVersion(version)) }),
  report: (id: string): Key => ({ PK: join('CADENCE', id), SK: 'REPORT' }),
};

/**
 * One enrollment item per (cadence, record): it is the guard that keeps a record to one active
 * enrollment per cadence. GSI1 lists a cadence's enrollments by status; GSI2 a record's enrollments
 * (for unenrollment on a record change).
 */
export const enrollmentKeys = {
  key: (cadenceId: string, recordId: string): Key => ({ PK: join('CADENCE', cadenceId), SK: join('ENR', recordId) }),
  item: (cadenceId: string, module: string, recordId: string, status: string, enrolledAt: string) => ({
    ...enrollmentKeys.key(cadenceId, recordId),
    GSI1PK: enrollmentKeys.statusPartition(cadenceId, status),
    GSI1SK: join(enrolledAt, recordId),
    GSI2PK: enrollmentKeys.recordPartition(module, recordId),
    GSI2SK: cadenceId,
  }),
  prefix: 'ENR#',
  statusPartition: (cadenceId: string, status: string): string => join('CADENR', cadenceId, status),
  recordPartition: (module: string, recordId: string): string => join('RECENR', module, recordId),
};

/** Cadence email bookkeeping: the at-most-once marker per (enrollment, step), and lookups from SES message ids and reply tokens. */
export const cadenceMailKeys = {
  send: (enrollmentId: string, stepId: string): Key => ({ PK: join('CADSEND', enrollmentId, stepId), SK: 'CADSEND' }),
  message: (messageId: string): Key => ({ PK: join('SESMSG', messageId), SK: 'SESMSG' }),
  replyToken: (token: string): Key => ({ PK: join('REPLYTO', token), SK: 'REPLYTO' }),
};

/**
 * Addresses nothing is sent to any more (unsubscribed, bounced, complained): one item per address,
 * keyed by its SHA-256 digest, so an erased customer's address stays suppressed without being kept.
 * `legacyKey`: the lower-cased address, as items written before the digest were keyed (still honoured).
 */
export const suppressionKeys = {
  key: (address: string): Key => ({ PK: join('SUPPRESS', 'SHA256', addressDigest(address)), SK: 'SUPPRESS' }),
  legacyKey: (address: string): Key => ({ PK: join('SUPPRESS', address.toLowerCase()), SK: 'SUPPRESS' }),
};

/** The shared SES send-rate counter: one short-lived item per wall-clock second. */
export const sendRateKeys = {
  key: (epochSecond: number): Key => ({ PK: join('SENDRATE', epochSecond), SK: 'SENDRATE' }),
};

/** Deployment-wide settings kept in the table (e.g. the unsubscribe signing key). */
export const configKeys = {
  key: (name: string): Key => ({ PK: join('CONFIG', name), SK: 'CONFIG' }),
};

/** Action runs: one marker per (source event, action index), in the event's partition (one Query reads them all). */
export const actionRunKeys = {
  partition: (sourceEventId: string): string => join('ACTIONRUN', sourceEventId),
  key: (sourceEventId: string, index: number): Key => ({ PK: actionRunKeys.partition(sourceEventId), SK: String(index).padStart(3, '0') }),
};

/**
 * Once markers: an action that creates something runs once per scope (a journey instance and state, a
 * blueprint transition of a record, a rule and record change…); one marker per (scope, action index).
 */
export const onceKeys = {
  key: (scope: string, index: number): Key => ({ PK: join('ONCE', scope), SK: String(index).padStart(3, '0') }),
};

/**
 * Versioned definitions (wizards, kiosks, and any other kind): `CURRENT` holds the latest version,
 * `V#<version>` each published snapshot, so work started on a version keeps reading that version.
 */
export const definitionKeys = {
  current: (kind: string, id: string): Key => ({ PK: join('DEF', kind, id), SK: 'CURRENT' }),
  currentItem: (kind: string, id: string, name: string) => ({ ...definitionKeys.current(kind, id), GSI1PK: definitionKeys.listPartition(kind), GSI1SK: join(name.toLowerCase(), id) }),
  version: (kind: string, id: string, version: number): Key => ({ PK: join('DEF', kind, id), SK: join('V', padVersion(version)) }),
  listPartition: (kind: string): string => join('DEFS', kind),
};

/**
 * Journeys (CommandCenter): which are active (one partition, read by the journey router per event),
 * instances, the alias from each customer record to its instance, the idempotency mark of an event
 * applied to an instance, and the report counters (one item per day, the occupancy, one per path).
 */
export const journeyKeys = {
  activePartition: 'JOURNEYS#ACTIVE',
  active: (journeyId: string): Key => ({ PK: 'JOURNEYS#ACTIVE', SK: journeyId }),
  instance: (instanceId: string): Key => ({ PK: join('JINST', instanceId), SK: 'STATE' }),
  /** Instances of a journey, newest first (GSI1). */
  instanceList: (journeyId: string, startedAt: string, instanceId: string) => ({ GSI1PK: join('JINSTS', journeyId), GSI1SK: join(startedAt, instanceId) }),
  customerPartition: (recordId: string): string => join('JCUST', recordId),
  customer: (recordId: string, journeyId: string): Key => ({ PK: join('JCUST', recordId), SK: journeyId }),
  applied: (instanceId: string, eventId: string): Key => ({ PK: join('JAPPLIED', instanceId, eventId), SK: 'APPLIED' }),
  reportPartition: (journeyId: string): string => join('JREPORT', journeyId),
  reportDay: (journeyId: string, day: string): Key => ({ PK: join('JREPORT', journeyId), SK: join('DAY', day) }),
  reportDayPrefix: 'DAY#',
  reportNow: (journeyId: string): Key => ({ PK: join('JREPORT', journeyId), SK: 'NOW' }),
  path: (journeyId: string, path: string): Key => ({ PK: join('JPATHS', journeyId), SK: path }),
  pathPartition: (journeyId: string): string => join('JPATHS', journeyId),
};

/** Org settings (e.g. the lead-conversion mapping): one item per setting. */
export const settingKeys = {
  key: (name: string): Key => ({ PK: join('SETTING', name), SK: 'SETTING' }),
};

/**
 * Open tasks per assignee, due first: one index item per open Task record (written with the record by
 * the records core), sorted by due date (no due date last).
 */
export const taskIndexKeys = {
  partition: (assigneeId: string): string => join('TASKS', assigneeId),
  openPrefix: 'OPEN#',
  key: (assigneeId: string, dueDate: string | undefined, taskId: string): Key => ({
    PK: taskIndexKeys.partition(assigneeId),
    SK: join('OPEN', dueDate ?? '9999-12-31', taskId),
  }),
};

/**
 * Workflow rules: GSI1 lists them all (by module), GSI2 a module's rules (what the rules consumer
 * loads per event). Each rule's execution log is its own partition, newest last.
 */
export const workflowRuleKeys = {
  key: (id: string): Key => ({ PK: join('WFRULE', id), SK: 'RULE' }),
  item: (id: string, module: string) => ({
    ...workflowRuleKeys.key(id),
    GSI1PK: workflowRuleKeys.listPartition,
    GSI1SK: join(module, id),
    GSI2PK: workflowRuleKeys.modulePartition(module),
    GSI2SK: id,
  }),
  listPartition: 'WFRULES',
  modulePartition: (module: string): string => join('WFRULES', module),
  executionsPartition: (id: string): string => join('WFRULEEXEC', id),
};

/** A user's run of a wizard or kiosk: server-side state with a TTL. */
export const screenFlowKeys = {
  key: (kind: 'wizard' | 'kiosk', id: string): Key => ({ PK: join(kind === 'wizard' ? 'WIZSESSION' : 'KIOSKRUN', id), SK: 'STATE' }),
  /**
   * A wizard session saved as a draft is also in its user's drafts partition (GSI1, newest first), so
   * "My drafts" is one Query; any other status drops the index attributes and leaves the list.
   */
  item: (kind: 'wizard' | 'kiosk', id: string, userId: string, status: string, updatedAt: string) => ({
    ...screenFlowKeys.key(kind, id),
    ...(kind === 'wizard' && status === 'draft' ? { GSI1PK: screenFlowKeys.draftsPartition(userId), GSI1SK: join(updatedAt, id) } : {}),
  }),
  draftsPartition: (userId: string): string => join('WIZDRAFTS', userId),
};

/** Marks that one step of a kiosk run has had its side effect requested (at most once per (run, step)). */
export const kioskStepKeys = {
  key: (runId: string, nodeId: string, step: number): Key => ({ PK: join('KIOSKSTEP', runId, nodeId, step), SK: 'DONE' }),
};

/**
 * Quotes: "this item may copy personal values of that subject" (a record, a kiosk run, a request…). One
 * item per (subject, copying item), written with or before the copy, so an erasure finds every copy of
 * a subject with one Query of its quotes (shared/db/quotes.ts). Keys only, never a value. `target.SK`
 * absent: the whole partition (a record or a run with its history).
 */
export const quoteKeys = {
  partition: (subjectPK: string): string => join('QUOTED', subjectPK),
  key: (subjectPK: string, target: { PK: string; SK?: string }): Key => ({ PK: quoteKeys.partition(subjectPK), SK: `${target.PK}|${target.SK ?? '*'}` }),
};

/**
 * The partition of what a notification is about (`subject: { type, id, module }`) when its text may copy
 * that subject's values: a record, a request (a record of its team module), a kiosk run. Approval and
 * review notifications name their record by module and id only: nothing to quote.
 */
export const subjectPartition = (subject: { type: string; id: string; module?: string }): string | undefined => {
  switch (subject.type) {
    case 'record':
    case 'request':
      return subject.module ? recordKeys.key(subject.module, subject.id).PK : undefined;
    case 'kiosk-run':
      return screenFlowKeys.key('kiosk', subject.id).PK;
    default:
      return undefined;
  }
};
