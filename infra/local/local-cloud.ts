import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { createDocumentClient, createSesClient, type AppDeps } from '../../shared/adapters/deps.js';
import { createLocalApi, type LocalApi } from './api-server.js';
import { localDevRoutes } from './dev-routes.js';
import { loadOrCreateKeys } from './auth-keys.js';
import { localAreaOperations, localCadencePorts, localRoutes } from './cadence-local.js';
import { localClock, type LocalClock } from './clock.js';
import { ensureTable } from './create-table.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { ensureLocalCloudPortsFree, freePort } from './ports.js';
import { seedDemo } from './seed.js';
import { startSesLocal, type SesLocal } from './ses-local.js';
import type { InvocationListener } from './invocations.js';

export interface LocalCloudOptions {
  home: string;
  inMemory: boolean;
  /** Ports; 0 lets the OS choose a free one. A taken port fails the start with a PortInUseError. */
  apiPort: number;
  sesPort: number;
  dynamodbPort: number;
  /**
   * An SES (v2 API) already running elsewhere, e.g. another SES local: used instead of starting one
   * (`sesPort` is then ignored). Its sent mail outlives this process, even a `kill -9`.
   */
  sesEndpoint?: string;
  /**
   * A DynamoDB already running elsewhere (e.g. another DynamoDB Local): used instead of starting one
   * (`dynamodbPort` and `inMemory` no longer say where the data is). The table is created if missing.
   */
  dynamodbEndpoint?: string;
  tableName: string;
  region: string;
  /** Waits run this many times faster (86400: a day passes in a second). */
  timeScale: number;
  seed: boolean;
  /** Hears each invocation of an area Lambda by the API (the bench's bill). */
  onApiInvoke?: InvocationListener;
}

export interface LocalCloud {
  apiUrl: string;
  sesUrl: string;
  dynamodbEndpoint: string;
  deps: AppDeps;
  seedResult: 'seeded' | 'already-seeded' | 'skipped';
  /** The cloud's one clock, whose scale may change while it runs (the state-machine runner follows it). */
  time?: LocalClock;
  /** Resolves once the services have caught up with what the start left them (the seed's events): the start-up is over. */
  settled: () => Promise<void>;
  stop: () => Promise<void>;
}

/** A part of the local cloud that other parts start after and stop before. */
export interface LocalService {
  name: string;
  /** Resolves once the work already waiting for it is done (e.g. the stream read to its end and every event delivered). */
  settled?: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Extra parts (event poller and router, state-machine runner) plug in here, started after the API. */
export type LocalServiceFactory = (cloud: Omit<LocalCloud, 'stop' | 'settled'>, options: LocalCloudOptions) => Promise<LocalService>;

/**
 * Starts the whole system on this machine: DynamoDB Local (persisted under `home` unless in memory;
 * not started when `dynamodbEndpoint` names one already running), the table, SES local (not started
 * when `sesEndpoint` names one), the demo seed, the API, then the extra services, all on one clock
 * (`localClock`: scaled by `timeScale`). `stop()` reverses the order, letting in-flight requests
 * finish before DynamoDB Local goes.
 * Steps: refuse taken ports (before starting anything), start DynamoDB Local and the table, SES local,
 * seed, the API, then the services.
 */
export const startLocalCloud = async (options: LocalCloudOptions, factories: LocalServiceFactory[] = []): Promise<LocalCloud> => {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (error) {
        console.error('Error while stopping:', error);
      }
    }
    stops.length = 0;
  };
  // Only the ports of what this start runs itself are checked.
  await ensureLocalCloudPortsFree({ ...options, ...(options.sesEndpoint ? { sesPort: 0 } : {}), ...(options.dynamodbEndpoint ? { dynamodbPort: 0 } : {}) });
  try {
    const keys = await loadOrCreateKeys(options.home);
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      const dynamo: DynamoDbLocal = await startDynamoDbLocal({
        port: options.dynamodbPort === 0 ? await freePort() : options.dynamodbPort,
        ...(options.inMemory ? {} : { dataDir: join(options.home, 'dynamodb') }),
      });
      stops.push(dynamo.stop);
      dynamodbEndpoint = dynamo.endpoint;
    }
    const baseClient = new DynamoDBClient({ region: options.region, endpoint: dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(baseClient, options.tableName);
    baseClient.destroy();
    let sesUrl = options.sesEndpoint;
    if (!sesUrl) {
      const ses: SesLocal = await startSesLocal({ port: options.sesPort === 0 ? await freePort() : options.sesPort });
      stops.push(ses.stop);
      sesUrl = ses.endpoint;
    }
    const time = localClock(options);
    const deps: AppDeps = {
      db: createDocumentClient(options.region, dynamodbEndpoint),
      tableName: options.tableName,
      ses: createSesClient(options.region, sesUrl),
      mail: { from: 'no-reply@keiro.example' },
      // With --time-scale, business time runs that much faster too (and goes on across restarts).
      clock: time.now,
      timeScale: time.timeScale,
      setTimeScale: time.setTimeScale,
      newId: ulid,
      defaultPhoneRegion: 'JP',
      cadence: localCadencePorts(options.home),
      // The local cloud may call webhooks on this machine (tests, demos); AWS never reaches private addresses.
      webhooks: { signingSecret: process.env.WEBHOOK_SIGNING_SECRET ?? 'keiro-local-webhook-signing-secret', allowPrivateAddresses: true },
    };
    const seedResult: LocalCloud['seedResult'] = options.seed ? await seedDemo(deps) : 'skipped';
    const api: LocalApi = createLocalApi({ deps, routes: localRoutes, areas: localAreaOperations, keys, devRoutes: localDevRoutes(keys), ...(options.onApiInvoke ? { onInvoke: options.onApiInvoke } : {}) });
    const apiUrl = await api.listen(options.apiPort);
    if (deps.cadence) deps.cadence.publicApiUrl = apiUrl;
    stops.push(api.close);
    const cloud = { apiUrl, sesUrl, dynamodbEndpoint, deps, seedResult, time };
    const services: LocalService[] = [];
    for (const factory of factories) {
      const service = await factory(cloud, options);
      services.push(service);
      stops.push(service.stop);
    }
    const settled = async () => {
      for (const service of services) await service.settled?.();
    };
    return { ...cloud, settled, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
