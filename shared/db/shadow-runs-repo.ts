import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { ShadowKind, ShadowStatus } from '../domain/shadow/model.js';
import { readHistoryItem, type HistoryItem, type StoredHistoryItem } from './history.js';
import { HISTORY_DAY_SHARDS, historyKeys, shadowRunKeys } from './keys.js';
import { queryAll } from './query.js';

/** A run and everything it saved are deleted by TTL this long after it started. */
export const SHADOW_RUN_TTL_SECONDS = 30 * 86_400;
/** Characters per chunk of saved JSON: at most 3 bytes each in UTF-8, far below the 400 KB item limit. */
const CHUNK_CHARS = 120_000;

/** The run's item: the request as resolved at the start, where the job stands, and bookkeeping. */
export interface ShadowRunItem {
  id: string;
  kind: ShadowKind;
  definitionId?: string;
  /** The module a workflow rule run concerns (who manages it may read the run). */
  module?: string;
  name: string;
  status: ShadowStatus;
  window: { from: string; to: string };
  /** What is replayed (the draft, and the published version beside it), as the job's engine takes it. */
  subject: unknown;
  published?: { version: number; subject: unknown };
  /** The next instant to replay from (the changes before it are in the saved state). */
  cursor: string;
  /** Pages done; the saved state of page n is under STATE chunks of generation n. */
  page: number;
  stateChunks: number;
  resultChunks: number;
  changesReplayed: number;
  changesTotal?: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  error?: { title: string; detail: string };
  expiresAt: number;
}

export const createShadowRun = async (deps: AppDeps, run: Omit<ShadowRunItem, 'expiresAt'>): Promise<void> => {
  const expiresAt = Math.floor(Date.parse(run.createdAt) / 1000) + SHADOW_RUN_TTL_SECONDS;
  await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...shadowRunKeys.run(run.id), entity: 'ShadowRun', ...run, expiresAt }, ConditionExpression: 'attribute_not_exists(PK)' }));
};

export const getShadowRun = async (deps: AppDeps, id: string, consistent = false): Promise<ShadowRunItem | undefined> => {
  const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: shadowRunKeys.run(id), ConsistentRead: consistent }));
  return res.Item as ShadowRunItem | undefined;
};

/**
 * Moves a run on from page `fromPage` (conditional: a retried page whose first attempt already moved it
 * on changes nothing and answers false).
 */
export const advanceShadowRun = async (deps: AppDeps, id: string, fromPage: number, patch: Partial<Pick<ShadowRunItem, 'status' | 'cursor' | 'page' | 'stateChunks' | 'resultChunks' | 'changesReplayed' | 'changesTotal' | 'error' | 'updatedAt'>>): Promise<boolean> => {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: shadowRunKeys.run(id),
        UpdateExpression: `SET ${entries.map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(PK) AND #page = :fromPage',
        ExpressionAttributeNames: { '#page': 'page', ...Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])) },
        ExpressionAttributeValues: { ':fromPage': fromPage, ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

const chunkKey = (id: string, part: 'STATE' | 'RESULT', generation: number, index: number) => shadowRunKeys.chunk(id, part, generation * 10_000 + index);

/** Saves JSON in chunks under (part, generation); answers how many. Rewriting a generation writes the same items. */
export const saveChunks = async (deps: AppDeps, run: Pick<ShadowRunItem, 'id' | 'expiresAt'>, part: 'STATE' | 'RESULT', generation: number, value: unknown): Promise<number> => {
  const text = JSON.stringify(value);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK_CHARS) chunks.push(text.slice(i, i + CHUNK_CHARS));
  if (chunks.length === 0) chunks.push('');
  // One Put per chunk (a run has a few): no batch call to retry, and the grant stays PutItem.
  await Promise.all(chunks.map((body, i) => deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...chunkKey(run.id, part, generation, i), entity: 'ShadowRunChunk', body, expiresAt: run.expiresAt } }))));
  return chunks.length;
};

export const loadChunks = async <T>(deps: AppDeps, id: string, part: 'STATE' | 'RESULT', generation: number, count: number): Promise<T> => {
  const items = await queryAll<{ SK: string; body: string }>(deps, {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':pk': shadowRunKeys.partition(id), ':a': chunkKey(id, part, generation, 0).SK, ':b': chunkKey(id, part, generation, count - 1).SK },
    ConsistentRead: true,
  });
  if (items.length !== count) throw new Error(`Shadow run ${id}: ${part} ${generation} has ${items.length} of ${count} chunks`);
  return JSON.parse(items.map((i) => i.body).join('')) as T;
};

/** Deletes the chunks of an older generation (its successor is saved and the run points at it). */
export const dropChunks = async (deps: AppDeps, id: string, part: 'STATE' | 'RESULT', generation: number, count: number): Promise<void> => {
  await Promise.all(Array.from({ length: count }, (_, i) => deps.db.send(new DeleteCommand({ TableName: deps.tableName, Key: chunkKey(id, part, generation, i) }))));
};

/** The UTC days a window touches, oldest first. */
export const daysOf = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let t = Date.parse(`${from.slice(0, 10)}T00:00:00Z`); t <= Date.parse(to); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
};

const dayQuery = (day: string, shard: number, from: string, to: string) => ({
  IndexName: 'GSI3',
  KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK BETWEEN :from AND :to',
  // `to` is exclusive: the SK is `<occurredAt>#<eventId>`, so `<to>` itself sorts after every entry before it.
  ExpressionAttributeValues: { ':pk': historyKeys.dayPartition(day, shard), ':from': from, ':to': to },
});

/**
 * The org's history entries of one UTC day with `from <= occurredAt < to`, from the day index (every
 * shard), in no particular order. History written before the index existed carries no GSI3 attributes
 * and is not found (shared/domain/shadow/README.md).
 */
export const historyOfDay = async (deps: AppDeps, day: string, from: string, to: string): Promise<HistoryItem[]> => {
  const shards = await Promise.all(Array.from({ length: HISTORY_DAY_SHARDS }, (_, shard) => queryAll<StoredHistoryItem>(deps, dayQuery(day, shard, from, to))));
  return shards.flat().map(readHistoryItem);
};

/** How many history entries a window holds (a count per day and shard; nothing is read but the count). */
export const countHistory = async (deps: AppDeps, from: string, to: string): Promise<number> => {
  const queries = daysOf(from, to).flatMap((day) => Array.from({ length: HISTORY_DAY_SHARDS }, (_, shard) => dayQuery(day, shard, from, to)));
  let total = 0;
  for (let i = 0; i < queries.length; i += 16) {
    const counts = await Promise.all(
      queries.slice(i, i + 16).map(async (q) => {
        let n = 0;
        let startKey: Record<string, unknown> | undefined;
        do {
          const res = await deps.db.send(new QueryCommand({ ...q, TableName: deps.tableName, Select: 'COUNT', ExclusiveStartKey: startKey }));
          n += res.Count ?? 0;
          startKey = res.LastEvaluatedKey;
        } while (startKey);
        return n;
      }),
    );
    total += counts.reduce((a, b) => a + b, 0);
  }
  return total;
};
