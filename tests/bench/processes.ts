import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { measurePrepared, type DynamoMeter } from './dynamo-meter.js';
import type { BenchRow } from './stats.js';

export type ProcessBenchRow = BenchRow;

type Call = (user: string, method: string, path: string, body?: unknown) => Promise<{ id: string; lock?: { approvalId: string } }>;

/**
 * A blueprint transition and an approval decision over HTTP (p50, p99 of the measured request alone:
 * each sample first prepares a fresh record, unmeasured), their DynamoDB round trips, and the p50 of
 * each request's ratio to its own DynamoDB time (dynamo-meter.ts `measurePrepared`: the local API server
 * runs in this process, so the meter times the calls it makes).
 */
export const benchProcesses = async (options: { call: Call; db: DynamoDBDocumentClient; meter: DynamoMeter; samples: number }): Promise<ProcessBenchRow[]> => {
  const { call, db, meter, samples } = options;
  const measure = <S>(operation: string, prepare: (i: number) => Promise<S>, run: (subject: S) => Promise<unknown>) => measurePrepared({ db, meter, samples }, operation, prepare, run);
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
