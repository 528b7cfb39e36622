import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { TimerScheduled } from '../../shared/events/catalog/timer-scheduled.js';

/**
 * The pending waits of one (kind, key), wherever their buckets are. A test's own table is small, so a
 * Scan is fine here; the product pages one bucket's partition (shared/db/timers.ts pendingWaits).
 */
export const scheduledWaits = async (deps: AppDeps, kind: string, key: string): Promise<Array<{ PK: string; SK: string; data: TimerScheduled }>> => {
  const items: Array<{ PK: string; SK: string; data: TimerScheduled }> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await deps.db.send(
      new ScanCommand({
        TableName: deps.tableName,
        FilterExpression: 'begins_with(PK, :bucket) AND #data.kind = :kind AND #data.#key = :key',
        ExpressionAttributeNames: { '#data': 'data', '#key': 'key' },
        ExpressionAttributeValues: { ':bucket': 'TIMERBUCKET#', ':kind': kind, ':key': key },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...((res.Items ?? []) as typeof items));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return items;
};
