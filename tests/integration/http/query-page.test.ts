import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { queryPage, type Page } from '../../../shared/db/query.js';
import { createTestDeps } from '../../support/local-cloud.js';

/** Paging a Query: a nextCursor only when another page has items, so a last page is never empty. */
let deps: AppDeps;
const put = (item: Record<string, unknown>) => deps.db.send(new PutCommand({ TableName: deps.tableName, Item: item }));

beforeAll(async () => {
  deps = await createTestDeps();
  for (let i = 0; i < 12; i++) {
    const n = String(i).padStart(2, '0');
    await put({ PK: 'PAGING#plain', SK: `ITEM#${n}`, n: i, even: i % 2 === 0, GSI1PK: 'PAGING#index', GSI1SK: `AT#${n}` });
  }
});

const walk = async (read: (cursor?: string) => Promise<Page<{ n: number }>>) => {
  const pages: number[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const page = await read(cursor);
    pages.push(page.items.map((i) => i.n));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return pages;
};

describe('queryPage', () => {
  it.each([1, 2, 3, 4, 5, 6, 11, 12, 13, 200])('limit %i: every item once, in order, and no empty page', async (limit) => {
    const pages = await walk((cursor) => queryPage(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'PAGING#plain' } }, limit, cursor));
    expect(pages.flat()).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(pages.every((p) => p.length > 0)).toBe(true);
    expect(pages).toHaveLength(Math.ceil(12 / limit));
  });

  it.each([1, 3, 4, 6])('limit %i on a GSI, newest first', async (limit) => {
    const pages = await walk((cursor) =>
      queryPage(deps, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'PAGING#index' }, ScanIndexForward: false }, limit, cursor),
    );
    expect(pages.flat()).toEqual(Array.from({ length: 12 }, (_, i) => 11 - i));
    expect(pages.every((p) => p.length > 0)).toBe(true);
  });

  it.each([1, 2, 3, 6, 7])('limit %i with a filter (short DynamoDB pages): no empty last page', async (limit) => {
    const pages = await walk((cursor) =>
      queryPage(deps, { KeyConditionExpression: 'PK = :pk', FilterExpression: 'even = :t', ExpressionAttributeValues: { ':pk': 'PAGING#plain', ':t': true } }, limit, cursor),
    );
    expect(pages.flat()).toEqual([0, 2, 4, 6, 8, 10]);
    expect(pages.every((p) => p.length > 0)).toBe(true);
  });

  it('an empty partition is one empty page without a cursor', async () => {
    expect(await queryPage(deps, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'PAGING#none' } }, 5)).toEqual({ items: [] });
  });
});
