/**
 * The single table's physical shape: key schema, GSIs, TTL and stream settings.
 * Both the CDK data stack and the local cloud create the table from this, so they never drift.
 */
export const TABLE_KEY = { partitionKey: 'PK', sortKey: 'SK' } as const;

export const GSIS = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
] as const;

export type GsiName = (typeof GSIS)[number]['indexName'];

/** Epoch seconds after which DynamoDB TTL may delete the item. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** History entries (the outbox) carry this `entity` value; the Pipe and local poller filter on it. */
export const OUTBOX_ENTITY = 'History';

export const STREAM_VIEW_TYPE = 'NEW_IMAGE' as const;
