import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';

/** How far the poller has read one shard: the last sequence number handed to the bus, and whether the shard is closed and read to its end. */
export interface ShardPosition {
  sequenceNumber?: string;
  finished?: boolean;
}

/** The poller's position on one table's stream. A new stream (the table was re-created) starts afresh. */
export interface StreamPositions {
  streamArn: string;
  shards: Record<string, ShardPosition>;
}

export interface PositionStore {
  load: () => Promise<StreamPositions | undefined>;
  save: (positions: StreamPositions) => Promise<void>;
}

const clone = (p: StreamPositions): StreamPositions => JSON.parse(JSON.stringify(p)) as StreamPositions;

/** For `--in-memory` runs and tests: positions live as long as the process. */
export const memoryPositionStore = (): PositionStore => {
  let saved: StreamPositions | undefined;
  return {
    load: async () => (saved ? clone(saved) : undefined),
    save: async (positions) => {
      saved = clone(positions);
    },
  };
};

interface PositionsFile {
  version: 1;
  tables: Record<string, StreamPositions>;
}

const readPositionsFile = async (path: string): Promise<PositionsFile> => {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<PositionsFile>;
    return { version: 1, tables: parsed.tables ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tables: {} };
    throw new Error(`Cannot read stream positions from ${path}: ${String(error)}`);
  }
};

/**
 * Positions in a JSON file (`.keiro/stream-positions.json`), one entry per table. Not in the table
 * itself: writing there would put records on the very stream being read. Written atomically.
 */
export const filePositionStore = (path: string, tableName: string): PositionStore => ({
  load: async () => (await readPositionsFile(path)).tables[tableName],
  save: async (positions) => {
    const file = await readPositionsFile(path);
    file.tables[tableName] = clone(positions);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, JSON.stringify(file, null, 2));
    await rename(temp, path);
  },
});
