import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { createDocumentClient, createSesClient, type AppDeps } from '../../shared/adapters/deps.js';
import { createLocalApi, type LocalApi } from './api-server.js';
import { localDevRoutes } from './dev-routes.js';
import { loadOrCreateKeys } from './auth-keys.js';
import { localAreaOperations, localCadencePorts, localRoutes } from './cadence-local.js';
import { keptScaledClock } from './clock.js';
import { ensureTable } from './create-table.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { ensureLocalCloudPortsFree, freePort } from './ports.js';
import { seedDemo } from './seed.js';
import { startSesLocal, type SesLocal } from './ses-local.js';

export interface LocalCloudOptions {
  home: string;
  inMemory: boolean;
  /** Ports; 0 lets the OS choose a free one. A taken port fails the start with a PortInUseError. */
  apiPort: number;
  sesPort: number;
  dynamodbPort: number;
  tableName: string;
  region: string;
  /** Waits run this many times faster (86400: a day passes in a second). */
  timeScale: number;
  seed: boolean;
}

export interface LocalCloud {
  apiUrl: string;
  sesUrl: string;
  dynamodbEndpoint: string;
  deps: AppDeps;
  seedResult: 'seeded' | 'already-seeded' | 'skipped';
  stop: () => Promise<void>;
}

/** A part of the local cloud that other parts start after and stop before. */
export interface LocalService {
  name: string;
  stop: () => Promise<void>;
}

/** Extra parts (event poller and router, state-machine runner) plug in here, started after the API. */
export type LocalServiceFactory = (cloud: Omit<LocalCloud, 'stop'>, options: LocalCloudOptions) => Promise<LocalService>;

/**
 * Starts the whole system on this machine: DynamoDB Local (persisted under `home` unless in memory),
 * the table, SES local, the demo seed, the API, then the extra services. `stop()` reverses the order,
 * letting in-flight requests finish before DynamoDB Local goes.
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
  await ensureLocalCloudPortsFree(options);
  try {
    const keys = await loadOrCreateKeys(options.home);
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: options.dynamodbPort === 0 ? await freePort() : options.dynamodbPort,
      ...(options.inMemory ? {} : { dataDir: join(options.home, 'dynamodb') }),
    });
    stops.push(dynamo.stop);
    // With a time scale, simulated time runs that many times faster, and goes on across restarts on kept data.
    const time = options.timeScale === 1 ? undefined : keptScaledClock(options.timeScale, options.inMemory ? undefined : join(options.home, 'simulated-clock'));
    if (time) stops.push(async () => time.stop());
    const baseClient = new DynamoDBClient({ region: options.region, endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(baseClient, options.tableName);
    baseClient.destroy();
    const ses: SesLocal = await startSesLocal({ port: options.sesPort === 0 ? await freePort() : options.sesPort });
    stops.push(ses.stop);
    const deps: AppDeps = {
      db: createDocumentClient(options.region, dynamo.endpoint),
      tableName: options.tableName,
      ses: createSesClient(options.region, ses.endpoint),
      mail: { from: 'no-reply@keiro.example' },
      clock: time?.clock ?? (() => new Date()),
      newId: ulid,
      defaultPhoneRegion: 'JP',
      cadence: localCadencePorts(options.home),
      // The local cloud may call webhooks on this machine (tests, demos); AWS never reaches private addresses.
      webhooks: { signingSecret: process.env.WEBHOOK_SIGNING_SECRET ?? 'keiro-local-webhook-signing-secret', allowPrivateAddresses: true },
    };
    const seedResult: LocalCloud['seedResult'] = options.seed ? await seedDemo(deps) : 'skipped';
    const api: LocalApi = createLocalApi({ deps, routes: localRoutes, areas: localAreaOperations, keys, devRoutes: localDevRoutes(keys) });
    const apiUrl = await api.listen(options.apiPort);
    if (deps.cadence) deps.cadence.publicApiUrl = apiUrl;
    stops.push(api.close);
    const cloud = { apiUrl, sesUrl: ses.endpoint, dynamodbEndpoint: dynamo.endpoint, deps, seedResult };
    for (const factory of factories) {
      const service = await factory(cloud, options);
      stops.push(service.stop);
    }
    return { ...cloud, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
