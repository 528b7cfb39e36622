import { mkdtempSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consumers } from '../../functions/events/consumers.js';
import { subscriptions } from '../../functions/subscriptions.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { createLocalApi, type LocalApi } from '../../infra/local/api-server.js';
import { loadOrCreateKeys, signToken, type LocalKeys } from '../../infra/local/auth-keys.js';
import { localDevRoutes } from '../../infra/local/dev-routes.js';
import { localAreaOperations, localCadencePorts, localRoutes } from '../../infra/local/cadence-local.js';
import { memoryPositionStore, type PositionStore } from '../../infra/local/events/positions.js';
import { createEventRouter } from '../../infra/local/events/router.js';
import { createLocalSfnRunner, type CfnTemplate, type LocalSfnRunner } from '../../infra/local/sfn/index.js';
import { localTimerStarter, synthWorkflowsTemplate } from '../../infra/local/state-machines.js';
import { scaledClock } from '../../infra/local/clock.js';
import { seedDemo } from '../../infra/local/seed.js';
import { groupsFor } from '../../infra/local/seed-users.js';
import { TIMER_STATES, timerWorkflow } from '../../stepfunctions/timer/timer.workflow.js';
import { wake } from '../../stepfunctions/timer/tasks/wake.js';
import { startLocalEvents, type LocalEvents } from './events.js';
import { createTestDeps, sesEndpoint } from './local-cloud.js';
import { businessLine } from '../../infra/local/events/business-lines.js';
import type { BusEvent } from '../../shared/events/envelope.js';

/**
 * The local cloud as `npm start` runs it, on the test run's DynamoDB Local and SES local: the API (with
 * the dev-only routes) on port 0, the stream poller and event router over the product's subscriptions,
 * and the state-machine runner with the timer ASL that CDK synthesizes, all on one simulated clock
 * (`scale` times faster than the wall clock). `restart()` stops every service (the runner leaves its
 * executions RUNNING, as a killed `npm start` does) and starts them again over the same table,
 * recovering executions from DynamoDB.
 */
export interface CadenceCloud {
  deps: AppDeps;
  baseUrl: () => string;
  /** A bearer token for a user, as `npm run token` would sign it for this cloud. */
  tokenFor: (userId: string) => Promise<string>;
  call: <T = any>(userId: string | null, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; rawBody?: string }) => Promise<{ status: number; body: T; headers: Headers }>;
  runner: () => LocalSfnRunner;
  restart: () => Promise<void>;
  stop: () => Promise<void>;
  /** Simulated now. */
  now: () => Date;
}

let template: CfnTemplate | undefined;
export const timerTemplate = (): CfnTemplate => (template ??= synthWorkflowsTemplate([timerWorkflow]));

export const simulatedClock = (scale: number, start = '2026-06-10T00:30:00Z') => scaledClock(scale, Date.parse(start));

/** `logEvents`: the event router logs as in `npm start` (warnings, and the readable line per business event; by default a test's cloud keeps it quiet). */
/** `onBusEvent`: hears each event as the bus takes it (the soak measures the stream's lag with it). */
export const startCadenceCloud = async (options: { scale: number; start?: string; logEvents?: boolean; onBusEvent?: (event: BusEvent) => void }): Promise<CadenceCloud> => {
  const clock = simulatedClock(options.scale, options.start);
  const deps = await createTestDeps({ clock });
  const home = mkdtempSync(join(tmpdir(), 'keiro-cadence-'));
  deps.cadence = localCadencePorts(home, { sendRatePerSecond: 100 });
  await seedDemo(deps);
  const keys: LocalKeys = await loadOrCreateKeys(home);
  const positions: PositionStore = memoryPositionStore();
  let api: LocalApi | undefined;
  let events: LocalEvents | undefined;
  let runner: LocalSfnRunner | undefined;
  let url = '';

  const startServices = async () => {
    runner = createLocalSfnRunner({
      template: timerTemplate(),
      handlers: { [TIMER_STATES.wake]: (input) => wake(deps, input) },
      db: deps.db,
      tableName: deps.tableName,
      timeScale: options.scale,
      clock,
      retryIntervalMs: 50,
    });
    deps.timers = localTimerStarter(runner);
    await runner.recover();
    const router = createEventRouter({ deps, subscriptions, consumers, retry: { attempts: 3, baseDelayMs: 20 }, ...(process.env.KEIRO_TEST_LOG || options.logEvents ? {} : { log: () => undefined }) });
    if (options.onBusEvent) router.tap(options.onBusEvent);
    if (process.env.KEIRO_TEST_LOG) router.tap((e) => console.log('bus', e['detail-type'], JSON.stringify(e.detail).slice(0, 300)));
    // As npm start prints them by default: one readable line per business event.
    if (options.logEvents) {
      router.tap((event) => {
        const line = businessLine(event);
        if (line) console.log(line);
      });
    }
    events = startLocalEvents(deps, { subscriptions, consumers: [...consumers], positions, router });
    // As npm start does: an org admin's replay of a dead letter goes back through this router.
    deps.deadLetterReplayer = router;
    if (deps.cadence) deps.cadence.devBus = async (event) => void (await router.publish(event));
    api = createLocalApi({ deps, routes: localRoutes, areas: localAreaOperations, keys, devRoutes: localDevRoutes(keys) });
    url = await api.listen(0);
    if (deps.cadence) deps.cadence.publicApiUrl = url;
  };
  const stopServices = async () => {
    await events?.stop();
    await runner?.stop();
    await api?.close();
    events = undefined;
    runner = undefined;
    api = undefined;
  };
  await startServices();

  const tokens = new Map<string, string>();
  const tokenFor = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await signToken(keys, { sub: userId, email: `${userId}@keiro.example`, groups: groupsFor(userId) }));
    return tokens.get(userId) as string;
  };
  const call: CadenceCloud['call'] = async (userId, method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (userId) headers.authorization = `Bearer ${await tokenFor(userId)}`;
    if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
    const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
  return {
    deps,
    baseUrl: () => url,
    tokenFor,
    call,
    runner: () => {
      if (!runner) throw new Error('The cloud is stopped');
      return runner;
    },
    restart: async () => {
      await stopServices();
      await startServices();
    },
    stop: stopServices,
    now: clock,
  };
};

/**
 * One cadence cloud for a test file: started before its tests, stopped after them. The answer stands
 * for the running cloud (a proxy, so tests keep writing `cloud.call(…)`).
 */
export const useCadenceCloud = (scale: number, options: { logEvents?: boolean; onBusEvent?: (event: BusEvent) => void } = {}): CadenceCloud => {
  let cloud: CadenceCloud | undefined;
  beforeAll(async () => {
    cloud = await startCadenceCloud({ scale, ...options });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });
  return new Proxy({} as CadenceCloud, {
    get: (_target, prop: keyof CadenceCloud) => {
      if (!cloud) throw new Error('The cadence cloud is not started (use it inside tests)');
      return cloud[prop];
    },
  });
};

export interface StoredMessage {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: Array<{ name: string; value: string }> | Record<string, string>;
  replyTo?: string[];
  [key: string]: unknown;
}

/** Mail SES local accepted for `to`, oldest first. */
export const mailTo = async (to: string): Promise<StoredMessage[]> => {
  const res = await fetch(`${sesEndpoint()}/store`);
  const body = (await res.json()) as { emails: StoredMessage[] };
  return body.emails.filter((m) => m.destination?.to?.some((t) => t.toLowerCase() === to.toLowerCase()));
};
