import { criteriaHold, type Criteria } from '../criteria/index.js';
import { failure, success, type Outcome } from '../process/errors.js';
import type { FieldValues } from './field-values.js';

/**
 * The rules every record write obeys, whatever path it comes through (PATCH, DELETE, automation,
 * consumers, a future bulk route): the records core calls these from its one pre-write check.
 *
 * 1. A field governed by a published blueprint changes only through a transition of that blueprint,
 *    or by an org admin's explicit override (a direct record write with X-Change-Reason, kept in the
 *    history entry): else 422. A reason alone is a note for history, never an override.
 * 2. A record locked by a pending approval or review answers 423, except for the fields the process
 *    whitelists, the people the lock allows, and the process that holds the lock.
 */

/** A pending approval or review holds the record. */
export interface RecordLock {
  reason: 'approval' | 'review';
  /** The approval or review id. */
  approvalId?: string;
  reviewId?: string;
  since: string;
  /** Who may still change the record's fields (reviewers; approvers of the current level). */
  allowUserIds: string[];
  /** Fields anyone with normal access may still change. */
  editableFields: string[];
}

/** The id of the approval/review holding the lock (a lock written in the earlier `{ kind, id }` shape still counts). */
export const lockId = (lock: RecordLock): string => lock.approvalId ?? lock.reviewId ?? (lock as { id?: string }).id ?? '';

/** Where a record stands in the blueprint that governs it: the definition version it runs on. */
export interface BlueprintBinding {
  blueprintId: string;
  version: number;
  /** When the record entered its current state (automatic transitions count from here). */
  enteredAt: string;
  /** Parallel transitions already done out of the current state. */
  parallelDone: string[];
  /** Changes on every entry into a state: a timer whose token no longer matches ends quietly. */
  token: string;
}

/** The published blueprint of a module, as the write path needs it. */
export interface GovernedField {
  blueprintId: string;
  name: string;
  field: string;
  version: number;
  entryCriteria: Criteria;
  initialState: string;
  states: string[];
}

/** What the records core knows about a module's processes at write time. */
export interface WriteGuardState {
  blueprint?: GovernedField;
}

/** The path of a write: a plain change, a blueprint transition, or the process that holds the lock. */
export type WriteChannel =
  | { kind: 'plain' }
  | { kind: 'transition'; blueprintId: string }
  /** The approval/review holding the lock; with `sendBackTo`, a rejection may move the governed field back a step. */
  | { kind: 'lock-holder'; lockId: string; sendBack?: { blueprintId: string } };

export interface WriteActor {
  userId: string;
  isOrgAdmin: boolean;
  /** The caller asked to override a governed field (a direct record write with X-Change-Reason); automation never does. */
  overrides?: boolean;
}

export interface GuardedRecord {
  fields: FieldValues;
  lock?: RecordLock;
  blueprint?: BlueprintBinding;
}

export interface GuardOutcome {
  /** Fields the write must also set (a record entering its blueprint starts in the initial state). */
  setFields: FieldValues;
  /** The record enters the blueprint with this write. */
  enters?: { blueprintId: string; version: number };
  /** An org admin overrode a governed field: the history entry keeps who and why. */
  override: boolean;
}

const governs = (state: WriteGuardState, record: GuardedRecord | undefined, fields: FieldValues, now: Date): GovernedField | undefined => {
  const bp = state.blueprint;
  if (!bp) return undefined;
  if (record?.blueprint?.blueprintId === bp.blueprintId) return bp;
  return criteriaHold(bp.entryCriteria, fields, now) ? bp : undefined;
};

const lockRefusal = (lock: RecordLock, fields: readonly string[], actor: WriteActor, channel: WriteChannel): string | undefined => {
  if (channel.kind === 'lock-holder' && channel.lockId === lockId(lock)) return undefined;
  if ((lock.allowUserIds ?? []).includes(actor.userId) && fields.length > 0) return undefined;
  const blocked = fields.filter((f) => !(lock.editableFields ?? []).includes(f));
  if (fields.length > 0 && blocked.length === 0) return undefined;
  return `This record is locked by a pending ${lock.reason ?? 'approval'} (${lockId(lock)})`;
};

/**
 * A create: a record that matches a published blueprint's entry criteria enters it in its initial
 * state; any other value of the governed field is refused (422) unless an org admin overrides.
 */
export const guardCreate = (state: WriteGuardState, fields: FieldValues, actor: WriteActor, now: Date): Outcome<GuardOutcome> => {
  const bp = governs(state, undefined, fields, now);
  if (!bp) return success({ setFields: {}, override: false });
  const given = fields[bp.field];
  const override = given !== undefined && given !== bp.initialState && actor.isOrgAdmin && actor.overrides === true;
  if (given !== undefined && given !== bp.initialState && !override) {
    return failure('rule', `${bp.field} is governed by the blueprint "${bp.name}": a new record starts in ${bp.initialState}`, [
      { path: `fields.${bp.field}`, message: `Governed by the blueprint "${bp.name}": starts in ${bp.initialState}` },
    ]);
  }
  return success({ setFields: override ? {} : { [bp.field]: bp.initialState }, enters: { blueprintId: bp.blueprintId, version: bp.version }, override });
};

/**
 * An update of `changedFields` (after: `nextFields`). Order: the lock (423) before the governed field (422).
 */
export const guardUpdate = (
  state: WriteGuardState,
  record: GuardedRecord,
  changedFields: readonly string[],
  nextFields: FieldValues,
  actor: WriteActor,
  channel: WriteChannel,
  now: Date,
): Outcome<GuardOutcome> => {
  if (record.lock) {
    const refusal = lockRefusal(record.lock, changedFields, actor, channel);
    if (refusal) return failure('locked', refusal);
  }
  const bp = governs(state, record, record.fields, now) ?? governs(state, record, nextFields, now);
  if (!bp) return success({ setFields: {}, override: false });
  const viaTransition =
    (channel.kind === 'transition' && channel.blueprintId === bp.blueprintId) ||
    (channel.kind === 'lock-holder' && record.lock !== undefined && channel.lockId === lockId(record.lock) && channel.sendBack?.blueprintId === bp.blueprintId);
  const touches = changedFields.includes(bp.field);
  const override = touches && !viaTransition && actor.isOrgAdmin && actor.overrides === true;
  if (touches && !viaTransition && !override) {
    const admin = actor.isOrgAdmin ? ' (an org admin may override with X-Change-Reason)' : '';
    return failure('rule', `${bp.field} is governed by the blueprint "${bp.name}": only a transition changes it${admin}`, [
      { path: `fields.${bp.field}`, message: `Governed by the blueprint "${bp.name}": use a transition` },
    ]);
  }
  if (record.blueprint?.blueprintId === bp.blueprintId) return success({ setFields: {}, override });
  // The record enters the blueprint now: it keeps a state it already has, else starts in the initial one.
  const current = nextFields[bp.field];
  const setFields = typeof current === 'string' && bp.states.includes(current) ? {} : { [bp.field]: bp.initialState };
  return success({ setFields, enters: { blueprintId: bp.blueprintId, version: bp.version }, override });
};

/** A delete: refused while locked (423), except by the process that holds the lock. */
export const guardDelete = (record: GuardedRecord, channel: WriteChannel): Outcome<null> => {
  if (record.lock && !(channel.kind === 'lock-holder' && channel.lockId === lockId(record.lock))) {
    return failure('locked', `This record is locked by a pending ${record.lock.reason} (${lockId(record.lock)})`);
  }
  return success(null);
};
