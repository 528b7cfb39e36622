import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiCall } from '../../infra/local/demo/story.js';
import { readSentMail, type StoredMail } from '../../infra/local/ses-local.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { percentile } from '../bench/stats.js';

/**
 * One reader of SES local's store for every story of the soak: concurrent reads share one GET /store,
 * and a read within `freshMs` of the last answer reuses it (50 stories polling the whole store every
 * 100 ms each would measure the mail viewer, not Keiro). Each read asks only for mail sent since a
 * second before the newest one seen (`?since=`, whole seconds) and adds what is new: a whole store of
 * 2,600 messages parsed four times a second was the soak's own hot spot, growing with every story.
 */
export const sharedMailReader = (sesEndpoint: string, freshMs = 250): (() => Promise<StoredMail[]>) => {
  const seen = new Map<string, StoredMail>();
  let newestAt: number | undefined;
  let last: { at: number; mail: StoredMail[] } | undefined;
  let reading: Promise<StoredMail[]> | undefined;
  return () => {
    if (last && performance.now() - last.at < freshMs) return Promise.resolve(last.mail);
    reading ??= readSentMail(sesEndpoint, newestAt === undefined ? undefined : newestAt - 1)
      .then((fresh) => {
        for (const m of fresh) {
          if (!seen.has(m.messageId)) seen.set(m.messageId, m);
          newestAt = Math.max(newestAt ?? m.at, m.at);
        }
        const mail = [...seen.values()];
        last = { at: performance.now(), mail };
        return mail;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
};

const THROTTLE = /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded/;

/** Counts DynamoDB throttling answers, each attempt (the middleware sits inside the SDK's retries). */
export const countThrottles = (db: DynamoDBDocumentClient): { count: () => number } => {
  let throttles = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (THROTTLE.test((error as { name?: string }).name ?? '')) throttles += 1;
        throw error;
      }
    },
    { step: 'deserialize', name: 'soakThrottleCounter' },
  );
  return { count: () => throttles };
};

/**
 * The stream's lag: how long after a change was written the bus took its event. The event's time is
 * the change's time on the cloud's simulated clock, so the wall-clock lag is the simulated difference
 * divided by the time scale (the event time has whole simulated seconds: a few wall-clock µs at 28,800×).
 */
export const streamLag = (now: () => Date, timeScale: number) => {
  // Only changes written from now on: the seed's backlog is not the soak's lag.
  const since = now().getTime() - 1000;
  let largest = { ms: 0, event: '' };
  let events = 0;
  return {
    onBusEvent: (event: BusEvent) => {
      if (Date.parse(event.time) < since) return;
      events += 1;
      const ms = (now().getTime() - Date.parse(event.time)) / timeScale;
      if (ms > largest.ms) largest = { ms, event: event['detail-type'] };
    },
    largest: () => largest,
    events: () => events,
  };
};

/** Every API call of the soak, by step: the p50/p99 table and the 5xx answers. */
export const callLog = () => {
  const calls: ApiCall[] = [];
  return {
    onCall: (call: ApiCall) => void calls.push(call),
    serverErrors: () => calls.filter((c) => c.status >= 500),
    table: (): string => {
      const byStep = new Map<string, number[]>();
      for (const c of calls) byStep.set(c.step, [...(byStep.get(c.step) ?? []), c.ms]);
      const rows = [...byStep.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
      return rows.map(([step, ms]) => `   ${step.slice(0, 70).padEnd(70)}  ${String(ms.length).padStart(6)} requests  p50 ${percentile(ms, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(ms, 99).toFixed(0).padStart(6)} ms`).join('\n');
    },
    count: () => calls.length,
  };
};
