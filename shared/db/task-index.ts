import type { FieldValues } from '../domain/records/field-values.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { taskIndexKeys } from './keys.js';
import { queryPage, type Page } from './query.js';
import type { TransactItem } from './transact.js';

/** The standard module whose records are people's tasks. */
export const TASKS_MODULE = 'Tasks';

export interface TaskSummary {
  id: string;
  subject: string;
  status: string;
  assigneeId: string;
  dueDate?: string;
  relatedModule?: string;
  relatedId?: string;
}

interface TaskIndexItem extends TaskSummary {
  PK: string;
  SK: string;
  entity: 'TaskIndex';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The index entry a Task's fields call for: open (status Open or unset) and assigned, else none. */
const entryOf = (id: string, fields: FieldValues | undefined): TaskIndexItem | undefined => {
  const assigneeId = str(fields?.assigneeId);
  const status = str(fields?.status) ?? 'Open';
  if (!fields || !assigneeId || status !== 'Open') return undefined;
  const dueDate = str(fields.dueDate);
  const relatedModule = str(fields.relatedModule);
  const relatedId = str(fields.relatedId);
  return {
    ...taskIndexKeys.key(assigneeId, dueDate, id),
    entity: 'TaskIndex',
    id,
    subject: str(fields.subject) ?? '',
    status,
    assigneeId,
    ...(dueDate ? { dueDate } : {}),
    ...(relatedModule ? { relatedModule } : {}),
    ...(relatedId ? { relatedId } : {}),
  };
};

/** The key of a task's open-task index item, if its fields call for one (the erasure scrubs it with the task). */
export const openTaskKey = (id: string, fields: FieldValues | undefined): { PK: string; SK: string } | undefined => {
  const entry = entryOf(id, fields);
  return entry ? { PK: entry.PK, SK: entry.SK } : undefined;
};

/**
 * The open-tasks index items that change with a Task record, in its transaction (records core,
 * record-index-items.ts): removed when the task is done, reassigned, re-dated or deleted, put when it
 * is open and assigned. Other modules: nothing.
 */
export const taskIndexWrites = (tableName: string, module: Pick<ModuleMetadata, 'name'>, recordId: string, before: FieldValues | undefined, after: FieldValues | undefined): TransactItem[] => {
  if (module.name !== TASKS_MODULE) return [];
  const old = entryOf(recordId, before);
  const next = entryOf(recordId, after);
  if (JSON.stringify(old) === JSON.stringify(next)) return [];
  const writes: TransactItem[] = [];
  if (old && (!next || old.SK !== next.SK || old.PK !== next.PK)) writes.push({ Delete: { TableName: tableName, Key: { PK: old.PK, SK: old.SK } } });
  if (next) writes.push({ Put: { TableName: tableName, Item: next } });
  return writes;
};

export type TaskView = TaskSummary & { overdue: boolean };

/** A person's open tasks, due first (undated last), one page. */
export const listOpenTasks = async (deps: Parameters<typeof queryPage>[0], assigneeId: string, limit: number, cursor?: string): Promise<Page<TaskView>> => {
  const page = await queryPage<TaskIndexItem>(
    deps,
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :open)',
      ExpressionAttributeValues: { ':pk': taskIndexKeys.partition(assigneeId), ':open': taskIndexKeys.openPrefix },
    },
    limit,
    cursor,
  );
  const today = deps.clock().toISOString().slice(0, 10);
  const items = page.items.map(({ PK: _pk, SK: _sk, entity: _e, ...task }) => ({ ...task, overdue: task.dueDate !== undefined && task.dueDate < today }));
  return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
};
