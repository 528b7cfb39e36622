import type { ShardPosition } from './positions.js';

export interface ShardInfo {
  ShardId?: string;
  ParentShardId?: string;
}

/**
 * The shards to read now, parents before children (as the Pipe does): a shard is readable once it is
 * not finished and its parent is finished or no longer listed (trimmed away).
 */
export const readableShards = (shards: readonly ShardInfo[], positions: Readonly<Record<string, ShardPosition>>): string[] => {
  const listed = new Set(shards.map((s) => s.ShardId));
  return shards.flatMap((shard) => {
    if (!shard.ShardId || positions[shard.ShardId]?.finished) return [];
    const parent = shard.ParentShardId;
    const parentDone = !parent || !listed.has(parent) || positions[parent]?.finished === true;
    return parentDone ? [shard.ShardId] : [];
  });
};

/** Drops positions of shards the stream no longer lists (trimmed after 24 h), keeping the file small. */
export const pruneShards = (shards: readonly ShardInfo[], positions: Record<string, ShardPosition>): Record<string, ShardPosition> => {
  const listed = new Set(shards.map((s) => s.ShardId));
  return Object.fromEntries(Object.entries(positions).filter(([id]) => listed.has(id)));
};
