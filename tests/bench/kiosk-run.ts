import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../infra/local/seed-kiosks.js';
import { replay, replayRow, type RecordedCall } from './dynamo-meter.js';
import { runConcurrent, type BenchRow } from './stats.js';

export interface KioskBenchContext {
  samples: number;
  db: DynamoDBDocumentClient;
  /** Calls the API as the demo agent; throws on a non-2xx answer. */
  call: (method: string, path: string, body?: unknown) => Promise<any>;
  /** One instrumented run: its DynamoDB round trips (summary) and the calls themselves. */
  recordOne: (op: () => Promise<unknown>) => Promise<{ summary: string; calls: RecordedCall[] }>;
}

export type KioskBenchRow = BenchRow;

/**
 * One whole run of the demo kiosk "Update travel info" over HTTP: start, the customer's phone, pick the
 * trip, new dates (update + notification request). Compared with the same DynamoDB calls replayed bare.
 */
export const benchKioskRun = async (ctx: KioskBenchContext): Promise<KioskBenchRow> => {
  let n = 0;
  const oneRun = async () => {
    n += 1;
    const day = String(1 + (n % 27)).padStart(2, '0');
    const run = await ctx.call('POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
    const picked = await ctx.call('POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: 'customer-phone', values: { phone: '090-1111-2222' } });
    const application = picked.screen.components[0].options[0].value;
    await ctx.call('POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: 'pick-application', values: { application } });
    const done = await ctx.call('POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: 'new-dates', values: { departureDate: `2027-04-${day}`, returnDate: `2027-05-${day}`, changeDetails: `Bench run ${n}` } });
    if (!done.done) throw new Error('The kiosk run did not finish');
  };
  for (let i = 0; i < 5; i++) await oneRun();
  const { summary, calls } = await ctx.recordOne(oneRun);
  const samples = Math.max(20, Math.floor(ctx.samples / 4));
  const latencies = await runConcurrent(samples, 1, oneRun);
  const raw = await runConcurrent(samples, 1, () => replay(ctx.db, calls));
  return replayRow('kiosk run (4 requests)', 1, latencies, summary, raw);
};
