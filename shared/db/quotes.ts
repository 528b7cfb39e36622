import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { FieldValues } from '../domain/records/field-values.js';
import { quoteKeys, recordKeys, type Key } from './keys.js';
import { queryAll } from './query.js';
import type { TransactItem } from './transact.js';

/**
 * The way from a subject (a record, a kiosk run, a request…) to every item that copies its values: a
 * task's subject, a notification's text, a kiosk run's loaded records, a wizard's answers, a stored
 * idempotent response. Written with the copy (in its transaction) or just before it (a quote without
 * its copy is harmless; a copy without its quote would escape an erasure). Read only by the erasure
 * (shared/db/erasure-repo.ts): one Query per subject, never a Scan.
 */

/** What quotes a subject: one item, or (no SK) a whole partition (a record or run with its history). */
export interface QuoteTarget {
  PK: string;
  SK?: string;
}

interface QuoteItem extends Key {
  entity: 'Quote';
  targetPK: string;
  targetSK?: string;
}

const quoteItem = (subjectPK: string, target: QuoteTarget): QuoteItem => ({
  ...quoteKeys.key(subjectPK, target),
  entity: 'Quote',
  targetPK: target.PK,
  ...(target.SK ? { targetSK: target.SK } : {}),
});

/** A quote as part of the copying write's own transaction. */
export const quotePut = (tableName: string, subjectPK: string, target: QuoteTarget): TransactItem => ({ Put: { TableName: tableName, Item: quoteItem(subjectPK, target) } });

/** Quotes written ahead of a copy that is not a transaction (a notification, a run's state, a stored response). */
export const putQuotes = async (deps: AppDeps, subjectPKs: readonly string[], target: QuoteTarget): Promise<void> => {
  await Promise.all([...new Set(subjectPKs)].map((pk) => deps.db.send(new PutCommand({ TableName: deps.tableName, Item: quoteItem(pk, target) }))));
};

/** Everything that quotes a subject (one Query of its quotes partition). */
export const quotesOf = async (deps: AppDeps, subjectPK: string): Promise<QuoteTarget[]> => {
  const items = await queryAll<QuoteItem>(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': quoteKeys.partition(subjectPK) }, ConsistentRead: true });
  return items.map((q) => ({ PK: q.targetPK, ...(q.targetSK ? { SK: q.targetSK } : {}) }));
};

const isRecordView = (value: Record<string, unknown>): boolean => typeof value.module === 'string' && typeof value.id === 'string' && typeof value.fields === 'object' && value.fields !== null;

/**
 * The partitions of the records a stored value carries (any object with a string `module` and `id` and
 * its `fields`: a record view, at any depth), whose values it therefore copies.
 */
export const recordPartitionsIn = (value: unknown): string[] => {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (isRecordView(obj)) found.add(recordKeys.key(obj.module as string, obj.id as string).PK);
      Object.values(obj).forEach(walk);
    }
  };
  walk(value);
  return [...found];
};

/** Records carried by `next` and not yet by `previous` (a saved state quotes each record once). */
export const newRecordPartitions = (previous: unknown, next: unknown): string[] => {
  const known = new Set(recordPartitionsIn(previous));
  return recordPartitionsIn(next).filter((pk) => !known.has(pk));
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * A record that names another through `relatedModule` + `relatedId` (a task and what it is about) quotes
 * it: its subject is usually written from that record's values ("Draft the travel plan for Mika Honda").
 * Put when the pair changes; an earlier one stays (the history still quotes the record it named then).
 */
export const relatedRecordQuotes = (tableName: string, module: { name: string }, recordId: string, before: FieldValues | undefined, after: FieldValues | undefined): TransactItem[] => {
  const relatedModule = text(after?.relatedModule);
  const relatedId = text(after?.relatedId);
  if (!relatedModule || !relatedId) return [];
  if (relatedModule === text(before?.relatedModule) && relatedId === text(before?.relatedId)) return [];
  return [quotePut(tableName, recordKeys.key(relatedModule, relatedId).PK, { PK: recordKeys.key(module.name, recordId).PK })];
};
