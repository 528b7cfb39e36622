import { afterAll, beforeAll } from 'vitest';
import { meterDynamo, type DynamoMeter } from '../bench/dynamo-meter.js';
import { startE2eApi, type E2eApi } from './e2e.js';

/** One request's answer with the DynamoDB calls it made (counted, never timed). */
export interface CountedCall {
  status: number;
  body: any;
  calls: number;
  byCommand: Record<string, number>;
}

export interface MeteredApi {
  /** The in-process local API (startE2eApi, demo seed). */
  readonly api: E2eApi;
  /** The bench's round-trip meter on the API's DynamoDB client. */
  readonly meter: DynamoMeter;
  /** Calls the API as `user` with the meter reset first, so the count is that request's alone. */
  counted: (user: string, method: string, path: string, body?: unknown) => Promise<CountedCall>;
}

/**
 * The local API with the bench's DynamoDB meter on its client, for tests that count round trips:
 * started before the describe's tests and closed after them (call it inside the describe).
 */
export const useMeteredApi = (): MeteredApi => {
  let started: { api: E2eApi; meter: DynamoMeter } | undefined;
  beforeAll(async () => {
    const api = await startE2eApi();
    started = { api, meter: meterDynamo(api.deps.db) };
  });
  afterAll(async () => started?.api.close());
  const current = () => {
    if (!started) throw new Error('The metered API is not started (use it inside tests)');
    return started;
  };
  return {
    get api() {
      return current().api;
    },
    get meter() {
      return current().meter;
    },
    counted: async (user, method, path, body) => {
      const { api, meter } = current();
      meter.reset();
      const res = await api.call(user, method, path, body === undefined ? {} : { body });
      return { status: res.status, body: res.body, calls: meter.calls, byCommand: Object.fromEntries(meter.byCommand) };
    },
  };
};
