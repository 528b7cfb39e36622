import type { AppDeps } from '../../../shared/adapters/deps.js';
import { runsOnce, usersToLoad, type Action } from '../../../shared/domain/actions/index.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { outcomeFromItem, type ActionOutcome } from '../../../shared/db/action-runs.js';
import { actionRunKeys, moduleKeys, moduleProcessKeys, onceKeys, userKeys, type Key } from '../../../shared/db/keys.js';
import { moduleFromItem } from '../../../shared/db/modules-repo.js';
import { moduleProcessesFromItem, type ModuleProcesses } from '../../../shared/db/module-processes-repo.js';
import type { UserItem } from '../../../shared/db/users-repo.js';
import type { ActionRecord } from './context.js';

/**
 * What a run of actions reads before it plans, read by its caller in the caller's own BatchGetItem
 * (strongly consistent) instead of one read each: the outcomes already recorded (a redelivery skips
 * them), the once markers of creating actions, the users the actions may name, the modules they act on
 * and, for those that create, the module's process state (the records core's write guards).
 */
export interface ActionReads {
  outcomes: Map<number, ActionOutcome>;
  /** By action index: what an earlier run in the once scope created. */
  created: Map<number, string>;
  users: Map<string, UserItem>;
  modules: Map<string, ModuleMetadata>;
  processes: Map<string, ModuleProcesses>;
}

export interface ActionReadsInput {
  sourceEventId: string;
  onceScope: string;
  record: ActionRecord;
  actions: readonly Action[];
  submitterId?: string;
}

type Item = Record<string, unknown> & Key;

const creates = (action: Action): action is Extract<Action, { type: 'createTask' | 'createRecord' }> => action.type === 'createTask' || action.type === 'createRecord';
const createdModule = (action: Extract<Action, { type: 'createTask' | 'createRecord' }>): string => (action.type === 'createTask' ? 'Tasks' : action.module);

/**
 * The users the actions may name, before the record's field types are known: a field an assignee or
 * recipient names is read as a user id if it holds a string (a key that names no user costs nothing;
 * planning uses the real field types).
 */
const usersNamed = (input: ActionReadsInput): string[] =>
  usersToLoad(input.actions, { record: input.record, fieldTypes: Object.fromEntries(Object.keys(input.record.fields).map((f) => [f, 'user'])), ...(input.submitterId ? { submitterId: input.submitterId } : {}) });

const createdModules = (input: ActionReadsInput): string[] => [...new Set(input.actions.filter(creates).map(createdModule))];

/** The keys of ActionReads, for the caller's batch. */
export const actionReadKeys = (input: ActionReadsInput): Key[] => [
  ...input.actions.map((_a, i) => actionRunKeys.key(input.sourceEventId, i)),
  ...input.actions.flatMap((a, i) => (creates(a) && runsOnce(a) ? [onceKeys.key(input.onceScope, i)] : [])),
  ...usersNamed(input).map((id) => userKeys.key(id)),
  ...[...new Set([input.record.module, ...createdModules(input)])].map((m) => moduleKeys.key(m)),
  ...createdModules(input).map((m) => moduleProcessKeys.key(m)),
];

/** ActionReads from the batch's items (an absent key: nothing recorded, no such user, a standard module, no processes). */
export const actionReadsFrom = (deps: AppDeps, input: ActionReadsInput, items: readonly Item[]): ActionReads => {
  const at = (key: Key) => items.find((i) => i.PK === key.PK && i.SK === key.SK);
  const outcomes = new Map<number, ActionOutcome>();
  const created = new Map<number, string>();
  input.actions.forEach((action, index) => {
    const outcome = at(actionRunKeys.key(input.sourceEventId, index));
    if (outcome) outcomes.set(index, outcomeFromItem(outcome as unknown as ActionOutcome));
    const once = creates(action) ? at(onceKeys.key(input.onceScope, index)) : undefined;
    if (typeof once?.created === 'string') created.set(index, once.created);
  });
  const users = new Map<string, UserItem>();
  for (const id of usersNamed(input)) {
    const user = at(userKeys.key(id));
    if (user) users.set(id, user as unknown as UserItem);
  }
  const modules = new Map<string, ModuleMetadata>();
  for (const name of new Set([input.record.module, ...createdModules(input)])) {
    const module = moduleFromItem(deps, name, at(moduleKeys.key(name)));
    if (module) modules.set(name, module);
  }
  const processes = new Map(createdModules(input).map((m) => [m, moduleProcessesFromItem(m, at(moduleProcessKeys.key(m)))] as const));
  return { outcomes, created, users, modules, processes };
};
