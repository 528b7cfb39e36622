import { startApproval, type ApprovalProcessDefinition } from '../approval/index.js';
import type { TeamRole } from '../access/principal.js';
import { participantNeeds, resolveLevels, resolveParticipants, withAdminFallback, type PeopleContext } from '../process/participants.js';
import { triggerFires, type WriteEvent } from '../process/triggers.js';
import type { FieldValues } from '../records/field-values.js';
import { managerChainIn } from '../users/user.js';
import type { ShadowChange } from './change.js';
import { count, recordKey, type Sample, type Tally } from './tally.js';

/** An approval process under trial: its id (draft: `draft`) and the version it would publish as. */
export interface ApprovalSubject {
  kind: 'approvalProcess';
  processId: string;
  version: number;
  definition: ApprovalProcessDefinition;
}

/**
 * The people a page of the replay knows, read once per page (not per change): each user's org role and
 * manager, and the members of the team spaces the processes under trial name. It is today's directory:
 * who managed whom at the time of a change is not recorded.
 */
export interface ShadowDirectory {
  users: Record<string, { orgRole: 'admin' | 'member' | 'guest'; managerId?: string }>;
  teams: Record<string, Record<string, TeamRole>>;
}
export const emptyDirectory = (): ShadowDirectory => ({ users: {}, teams: {} });

/** The team spaces whose members an approval subject's approvers name (the loader reads those). */
export const approvalTeams = (subject: ApprovalSubject): string[] => participantNeeds(subject.definition.levels.flatMap((l) => l.approvers)).teamIds;

export interface ApprovalReplayState {
  /** Records under an approval this replay started (the live lock), until a decision on them is recorded: record → since. */
  pending: Record<string, string>;
  /** Approvals started so far (each gets its own id and token, as the live `newId()`). */
  starts: number;
  /** Approvals of the process under trial recorded live (record → their ids: a delegation or a next level repeats the request), for the cross-check. */
  recorded: Record<string, string[]>;
  /** Approvals this replay started (record → how many). */
  made: Record<string, number>;
}
export const emptyApprovalState = (): ApprovalReplayState => ({ pending: {}, starts: 0, recorded: {}, made: {} });

/** Who a record's approvers are for this submitter, from the directory (the live edge reads the same from the table: loadPeople). */
const peopleOf = (directory: ShadowDirectory, ownerId: string, submitterId: string): PeopleContext => {
  const managerOf = (id: string) => directory.users[id]?.managerId;
  const withRole = (role: 'admin' | 'member') => Object.entries(directory.users).filter(([, u]) => u.orgRole === role).map(([id]) => id);
  return {
    ownerId,
    ownerManagerChain: managerChainIn(ownerId, managerOf),
    submitterId,
    submitterManagerChain: managerChainIn(submitterId, managerOf),
    usersByOrgRole: { admin: withRole('admin'), member: withRole('member') },
    teams: directory.teams,
  };
};

/** The events that end an approval on a record (its lock goes with it): a person's decision or recall, as recorded. */
const ENDS = new Set(['approval.decided', 'approval.recalled']);

/**
 * One recorded change through the approval process under trial, as the records core takes a write of its
 * module (startTriggered): a create or an edit that changes fields, by an actor of the recorded role, on a
 * record not under the approval this replay started, is judged by the trigger and entry criteria
 * (triggerFires); firing, each level's approvers are resolved for the record and its submitter (the
 * actor) and the approval starts (startApproval): counted with whom it asks. Nobody to ask: the live write
 * would be refused (422), counted as a skip with that reason. The decision, and with it the reminders and
 * escalations of the SLA and the onApprove/onReject actions, depends on a person: counted in the limits.
 * The lock the replay started ends when a decision on the record is recorded.
 */
export const replayApprovalChange = (subject: ApprovalSubject, tally: Tally, state: ApprovalReplayState, change: ShadowChange, directory: ShadowDirectory): void => {
  const { definition: def, processId } = subject;
  const key = recordKey(change.module, change.recordId);
  if (change.event === 'approval.requested') {
    const data = change.data as { processId?: string; approvalId?: string } | undefined;
    if (data?.processId !== processId || !data.approvalId) return;
    const ids = (state.recorded[key] ??= []);
    if (!ids.includes(data.approvalId)) ids.push(data.approvalId);
    return;
  }
  if (ENDS.has(change.event) || change.event === 'record.deleted') {
    delete state.pending[key];
    return;
  }
  if (change.module !== def.module || (change.event !== 'record.created' && change.event !== 'record.updated')) return;
  if (state.pending[key]) return;
  const fields = change.fields as FieldValues;
  const kind = change.event === 'record.created' ? 'create' : 'edit';
  const changedFields = kind === 'create' ? Object.keys(fields) : change.changes.map((c) => c.field);
  if (changedFields.length === 0) return;
  const submitter = change.actor ?? 'system';
  const event: WriteEvent = { kind, changedFields, fields, at: new Date(change.at), submitterRole: change.actorRole ?? 'guest' };
  if (!triggerFires(def.triggers, def.criteria, event)) return;
  const ownerId = (change.data as { ownerId?: unknown } | undefined)?.ownerId;
  const people = peopleOf(directory, typeof ownerId === 'string' ? ownerId : submitter, submitter);
  const lists = def.levels.map((l) => l.approvers);
  const resolved = resolveLevels(lists, people, submitter);
  const levels = resolved.every((ids) => ids.length > 0) ? resolved : withAdminFallback(resolved, resolveParticipants([{ kind: 'orgRole', role: 'admin' }], people), submitter);
  state.starts += 1;
  const started = startApproval({ id: `approval-${state.starts}`, processId, processVersion: subject.version, def, recordId: change.recordId, submittedBy: submitter, resolvedLevels: levels, now: change.at, token: `token-${state.starts}` });
  const record = { module: change.module, id: change.recordId };
  if (!started.ok) {
    count(tally, { kind: 'skipped', label: `${def.name}: nobody to ask (the write is refused)` }, { sourceEvent: change.event, record, outcome: 'refused', reason: started.error.message, actions: [], at: change.at });
    return;
  }
  const approval = started.value;
  state.pending[key] = change.at;
  state.made[key] = (state.made[key] ?? 0) + 1;
  const sla = def.levels.some((l) => l.sla) ? '; reminders and escalations fire only if nobody decides in time' : '';
  const sample: Sample = {
    sourceEvent: change.event,
    record,
    outcome: 'ran',
    reason: `${kind === 'create' ? 'Created' : `Edited (${changedFields.join(', ')})`} by ${submitter}: the trigger and entry criteria hold; level 1 of ${def.levels.length} asks ${approval.approverIds.join(', ')}${sla}`,
    actions: [],
    at: change.at,
  };
  count(tally, { kind: 'approvalStarted', label: `asks ${approval.approverIds.join(', ')}` }, sample);
  tally.limits.dependsOnPerson += 1;
};

/** The cross-check against the approval.requested entries recorded live for the published version: records whose starts differ. */
export const approvalMismatches = (state: ApprovalReplayState): { checked: number; mismatches: number } => {
  const keys = new Set([...Object.keys(state.recorded), ...Object.keys(state.made)]);
  let mismatches = 0;
  for (const key of keys) if ((state.recorded[key]?.length ?? 0) !== (state.made[key] ?? 0)) mismatches += 1;
  return { checked: keys.size, mismatches };
};
