import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoMeter, RecordedCall } from './dynamo-meter.js';
import { replay } from './dynamo-meter.js';
import { percentile, type BenchRow } from './stats.js';

export type ProcessBenchRow = BenchRow;

type Call = (user: string, method: string, path: string, body?: unknown) => Promise<{ id: string; lock?: { approvalId: string } }>;

/**
 * A blueprint transition and an approval decision over HTTP (p50, p99 of the measured request alone:
 * each sample first prepares a fresh record, unmeasured), their DynamoDB round trips, and the ratio to
 * the same DynamoDB calls replayed bare in the same process.
 */
export const benchProcesses = async (options: { call: Call; db: DynamoDBDocumentClient; meter: DynamoMeter; samples: number }): Promise<ProcessBenchRow[]> => {
  const { call, db, meter, samples } = options;
  const measure = async (operation: string, prepare: (i: number) => Promise<string>, run: (id: string) => Promise<unknown>): Promise<ProcessBenchRow> => {
    const latencies: number[] = [];
    let calls: RecordedCall[] = [];
    let summary = '';
    for (let i = 0; i < samples; i++) {
      const id = await prepare(i);
      if (i === 0) {
        meter.reset();
        meter.recorded = [];
      }
      const started = performance.now();
      await run(id);
      latencies.push(performance.now() - started);
      if (i === 0) {
        calls = meter.recorded ?? [];
        meter.recorded = undefined;
        summary = `${meter.calls} (${[...meter.byCommand].map(([k, v]) => `${k.replace('Command', '')}×${v}`).join(', ')})`;
      }
    }
    const raw: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await replay(db, calls);
      raw.push(performance.now() - started);
    }
    return { operation, concurrency: 1, p50: percentile(latencies, 50), p99: percentile(latencies, 99), roundTrips: summary, rawP50: percentile(raw, 50), ratio: percentile(latencies, 50) / percentile(raw, 50) };
  };
  const contactId = '01JDEMOCON0000000000000001';
  const transition = await measure(
    'transition',
    async (i) => (await call('u-agent', 'POST', '/v1/records/TravelApplications', { fields: { name: `Bench trip ${i}`, contactId } })).id,
    (id) => call('u-agent', 'POST', `/v1/records/TravelApplications/${id}/transitions/requirements-checked`, {}),
  );
  const approval = await measure(
    'approve',
    async (i) => (await call('u-agent', 'POST', '/v1/records/Deals', { fields: { name: `Bench deal ${i}`, discountPercent: 15 } })).lock?.approvalId as string,
    (approvalId) => call('u-manager', 'POST', `/v1/approvals/${approvalId}/approve`, {}),
  );
  return [transition, approval];
};
