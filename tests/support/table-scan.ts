import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';

/** Every item of a test's table (a test may Scan its own small table; no request path does). */
export const scanAll = async (deps: AppDeps): Promise<Array<Record<string, unknown>>> => {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(new ScanCommand({ TableName: deps.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** Every item of a test's table in key order (PK, then SK), to compare two scans as text. */
export const scanInKeyOrder = async (deps: AppDeps): Promise<Array<Record<string, unknown>>> =>
  (await scanAll(deps)).sort((a, b) => `${String(a.PK)}|${String(a.SK)}`.localeCompare(`${String(b.PK)}|${String(b.SK)}`));

/** A shadow run's own items: its partition, and the local runner's execution named after it. */
export const isShadowRunItem = (item: Record<string, unknown>, runId: string): boolean => item.PK === `SHADOW#${runId}` || item.PK === `EXECUTION#shadow-${runId}`;

/**
 * The items of the table that still hold any of `values`, in any attribute and any casing, inside nested
 * JSON strings too (an item is searched as its JSON text), each as JSON for a readable failure.
 */
export const itemsHolding = async (deps: AppDeps, values: readonly string[]): Promise<string[]> => {
  const needles = values.map((v) => v.toLowerCase());
  return (await scanAll(deps)).map((item) => JSON.stringify(item)).filter((text) => needles.some((n) => text.toLowerCase().includes(n)));
};

/** An erased phone in every form a copy could take: as typed, its digits, without the trunk 0, in E.164 (+81, Japan's). */
export const phoneForms = (phone: string): string[] => {
  const digits = phone.replace(/\D/g, '');
  return [phone, digits, digits.slice(1), `+81${digits.slice(1)}`];
};
