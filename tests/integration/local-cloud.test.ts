import { describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTestDeps } from '../support/local-cloud.js';
import { GSIS } from '../../shared/db/table-definition.js';

describe('local cloud', () => {
  it('creates a table with the CDK key schema, GSIs and a stream, and stores items', async () => {
    const deps = await createTestDeps();
    const described = await deps.db.send(new DescribeTableCommand({ TableName: deps.tableName }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(GSIS.map((g) => g.indexName));
    expect(described.Table?.StreamSpecification?.StreamEnabled).toBe(true);
    await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { PK: 'a', SK: 'b', value: 1 } }));
    const got = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: { PK: 'a', SK: 'b' } }));
    expect(got.Item?.value).toBe(1);
  });
});
