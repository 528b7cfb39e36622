import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { executionKeys } from '../../../shared/db/keys.js';

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface ExecutionRecord {
  executionId: string;
  stateMachine: string;
  input: unknown;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /** How many times recover() restarted it from its input. */
  restarts: number;
}

export type FinalOutcome =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'ABORTED' };

interface ExecutionItem {
  executionId: string;
  stateMachine: string;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  // Input and output are stored as JSON text so any JSON value round-trips exactly.
  inputJson: string;
  outputJson?: string;
  error?: string;
  cause?: string;
  restarts?: number;
}

const toRecord = (item: ExecutionItem): ExecutionRecord => ({
  executionId: item.executionId,
  stateMachine: item.stateMachine,
  input: JSON.parse(item.inputJson),
  status: item.status,
  startedAt: item.startedAt,
  restarts: item.restarts ?? 0,
  ...(item.stoppedAt ? { stoppedAt: item.stoppedAt } : {}),
  ...(item.outputJson !== undefined ? { output: JSON.parse(item.outputJson) } : {}),
  ...(item.error !== undefined ? { error: item.error, cause: item.cause ?? '' } : {}),
});

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';

/** Executions of the local runner, one item each (PK `EXECUTION#<id>`), listed by status on GSI1. */
export const createExecutionStore = (db: DynamoDBDocumentClient, tableName: string) => ({
  /** Records a new RUNNING execution; false when the id is already taken. */
  async create(record: Pick<ExecutionRecord, 'executionId' | 'stateMachine' | 'input' | 'startedAt'>): Promise<boolean> {
    const item: ExecutionItem = {
      executionId: record.executionId,
      stateMachine: record.stateMachine,
      status: 'RUNNING',
      startedAt: record.startedAt,
      inputJson: JSON.stringify(record.input ?? null),
      restarts: 0,
    };
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...executionKeys.item(record.executionId, 'RUNNING', record.startedAt), entity: 'SfnExecution', ...item },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async get(executionId: string): Promise<ExecutionRecord | undefined> {
    const res = await db.send(new GetCommand({ TableName: tableName, Key: executionKeys.key(executionId), ConsistentRead: true }));
    return res.Item ? toRecord(res.Item as ExecutionItem) : undefined;
  },

  async countRestart(executionId: string): Promise<void> {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: executionKeys.key(executionId),
        UpdateExpression: 'ADD restarts :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  },

  /** Moves a RUNNING execution to its final status; a no-op if something else already did. */
  async finish(executionId: string, outcome: FinalOutcome, stoppedAt: string): Promise<void> {
    const values: Record<string, unknown> = {
      ':status': outcome.status,
      ':gsi1pk': executionKeys.statusPartition(outcome.status),
      ':stoppedAt': stoppedAt,
      ':running': 'RUNNING',
    };
    let set = '#status = :status, GSI1PK = :gsi1pk, stoppedAt = :stoppedAt';
    if (outcome.status === 'SUCCEEDED') {
      set += ', outputJson = :output';
      values[':output'] = JSON.stringify(outcome.output ?? null);
    }
    if (outcome.status === 'FAILED') {
      set += ', #error = :error, #cause = :cause';
      Object.assign(values, { ':error': outcome.error, ':cause': outcome.cause });
    }
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: executionKeys.key(executionId),
          UpdateExpression: `SET ${set}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', ...(outcome.status === 'FAILED' ? { '#error': 'error', '#cause': 'cause' } : {}) },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },

  /** Executions with the given status (all of them without one), oldest first. */
  async list(status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    const statuses = status ? [status] : EXECUTION_STATUSES;
    const records: ExecutionRecord[] = [];
    for (const s of statuses) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const res = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': executionKeys.statusPartition(s) },
            ExclusiveStartKey: startKey,
          }),
        );
        records.push(...((res.Items ?? []) as ExecutionItem[]).map(toRecord));
        startKey = res.LastEvaluatedKey;
      } while (startKey);
    }
    return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.executionId.localeCompare(b.executionId));
  },
});

export type ExecutionStore = ReturnType<typeof createExecutionStore>;
