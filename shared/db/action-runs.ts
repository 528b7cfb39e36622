import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { actionRunKeys } from './keys.js';
import { queryAll } from './query.js';
import type { TransactItem } from './transact.js';
import { Conflict } from '../domain/errors.js';

/** Markers outlive every redelivery window (stream 24 h, retries, dead-letter replays within 14 days). */
export const ACTION_RUN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** What one action of a run ended as. */
export interface ActionOutcome {
  index: number;
  type: string;
  /** done: it happened; unresolved: the plan could not resolve it; refused: the write or receiver said no (not retried). */
  status: 'done' | 'unresolved' | 'refused';
  /** What it did (a created record id, an email address…) or why not. */
  detail?: string;
  /** True when a redelivery found it already done (the outcome is the first one). */
  replayed?: boolean;
}

interface ActionRunItem extends Omit<ActionOutcome, 'replayed'> {
  PK: string;
  SK: string;
  entity: 'ActionRun';
  at: string;
  expiresAt: number;
}

const markerItem = (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome): ActionRunItem => {
  const now = deps.clock();
  const { replayed: _r, ...rest } = outcome;
  return { ...actionRunKeys.key(sourceEventId, outcome.index), entity: 'ActionRun', ...rest, at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + ACTION_RUN_TTL_SECONDS };
};

/** A recorded outcome as read back (a redelivery's view: `replayed`). */
export const outcomeFromItem = (i: Pick<ActionRunItem, 'index' | 'type' | 'status' | 'detail'>): ActionOutcome => ({ index: i.index, type: i.type, status: i.status, ...(i.detail ? { detail: i.detail } : {}), replayed: true });

/** The outcomes already recorded for an event's actions, by index (one Query). */
export const recordedOutcomes = async (deps: AppDeps, sourceEventId: string): Promise<Map<number, ActionOutcome>> => {
  const items = await queryAll<ActionRunItem>(deps, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': actionRunKeys.partition(sourceEventId) },
    ConsistentRead: true,
  });
  return new Map(items.map((i) => [i.index, outcomeFromItem(i)]));
};

/** The marker as part of the action's own transaction (a record write): both happen, or neither. */
export const outcomeTransactItem = (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome): TransactItem => ({
  Put: { TableName: deps.tableName, Item: markerItem(deps, sourceEventId, outcome), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** The action's outcome marker was there first: another delivery of the event carried the action out (its outcome is recorded). */
export class ActionAlreadyDone extends Conflict {
  constructor() {
    super('This action was already carried out by another delivery of the event');
  }
}

/** Another run in the action's once scope created its record first (createdOnce tells what). */
export class CreatedOnceAlready extends Conflict {
  constructor() {
    super('Another run in this scope already created what this action creates');
  }
}

/** Another delivery claimed one of the emails riding on this write first (mail-once then decides, at the send). */
export class MailClaimTaken extends Conflict {
  constructor() {
    super('Another delivery claimed an email of this run first');
  }
}

/**
 * The marks an action's record write carries (createRecord's or updateRecord's extra items) and what a
 * failed one means (their `extraFailure`): the outcome marker, then the once marker, then the claims of
 * the run's later emails. The outcome marker's failure says the most (the action is done), so it wins.
 */
export const actionMarks = (outcome: TransactItem, more: { once?: TransactItem | undefined; claims?: TransactItem[] } = {}) => {
  const items = [outcome, ...(more.once ? [more.once] : []), ...(more.claims ?? [])];
  const firstClaim = more.once ? 2 : 1;
  const failure = (failed: number[]): Error | undefined => {
    if (failed.includes(0)) return new ActionAlreadyDone();
    if (more.once && failed.includes(1)) return new CreatedOnceAlready();
    return failed.some((i) => i >= firstClaim && i < items.length) ? new MailClaimTaken() : undefined;
  };
  return { items, failure };
};

/** A refusal that retrying cannot change, as the action's outcome: its status, message and each field's error. */
export const refusedOutcome = (index: number, type: string, refusal: { status: number; message: string; errors?: ReadonlyArray<{ path: string; message: string }> | undefined }): ActionOutcome => {
  const fields = refusal.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return { index, type, status: 'refused', detail: `${refusal.status} ${refusal.message}${fields ? ` (${fields})` : ''}` };
};

/**
 * What an action whose write failed ends as: the outcome recorded first stands (another delivery's when
 * its marker was there first, ActionAlreadyDone; or one that did it while this delivery's write was
 * refused before its transaction, e.g. the record locked meanwhile), else `refused` is recorded, when the
 * failure is one retrying cannot change. Anything else is rethrown: the event is delivered again.
 */
export const outcomeAfterFailure = async (thrown: unknown, sourceEventId: string, index: number, deps: AppDeps, refused: ActionOutcome | undefined, record: (refused: ActionOutcome) => Promise<ActionOutcome>): Promise<ActionOutcome> => {
  if (!refused && !(thrown instanceof ActionAlreadyDone)) throw thrown;
  const first = (await recordedOutcomes(deps, sourceEventId)).get(index);
  if (first) return first;
  if (!refused) throw thrown;
  return record(refused);
};

/** Records an outcome after the fact (email, notification, webhook, refusals). */
export const recordOutcome = async (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome): Promise<void> => {
  await deps.db.send(new PutCommand(outcomePut(deps, sourceEventId, outcome)));
};

/** The same after-the-fact record as part of a later transaction (the run's closing one). */
export const outcomePut = (deps: AppDeps, sourceEventId: string, outcome: ActionOutcome) => ({ TableName: deps.tableName, Item: markerItem(deps, sourceEventId, outcome) });
