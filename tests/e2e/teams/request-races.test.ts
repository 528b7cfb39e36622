import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { teamKeys } from '../../../shared/db/keys.js';
import { createDocumentClient } from '../../../shared/adapters/deps.js';
import { dynamodbEndpoint, testRegion } from '../../support/local-cloud.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * A comment alone and a status change on the same request, interleaved: the comment's transaction runs
 * just after a status change committed, with the request as it was read before that change.
 */
describe('a comment racing a status change does not undo the status in the queue', () => {
  let api: E2eApi;
  /** Runs once, right before the next transaction that writes a `request.commented` entry. */
  let beforeComment: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const real = createDocumentClient(testRegion(), dynamodbEndpoint());
    const send = real.send.bind(real) as (command: unknown) => Promise<unknown>;
    const db = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
        return async (command: { constructor: { name: string }; input: unknown }) => {
          if (beforeComment && command.constructor.name === 'TransactWriteCommand' && JSON.stringify(command.input).includes('"request.commented"')) {
            const run = beforeComment;
            beforeComment = undefined;
            await run();
          }
          return send(command);
        };
      },
    }) as DynamoDBDocumentClient;
    api = await startE2eApi({ deps: { db } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('the queue filtered by status and My Requests show the status the request has', async () => {
    const submitted = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Race', kind: 'Hotel' } } });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;

    beforeComment = async () => {
      const done = await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body: { status: 'Done' } });
      expect(done.status).toBe(200);
    };
    const comment = await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body: { comment: 'On it' } });
    expect(comment.status).toBe(200);
    expect(beforeComment).toBeUndefined();

    const request = await api.call('u-ops', 'GET', `/v1/requests/${id}`);
    expect(request.body.status).toBe('Done');
    expect(request.body.history.map((h: { event: string }) => h.event)).toEqual(expect.arrayContaining(['request.status-changed', 'request.commented']));

    const doneQueue = await api.call('u-ops', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests?status=Done`);
    expect(doneQueue.body.items.map((r: { id: string }) => r.id)).toContain(id);
    const submittedQueue = await api.call('u-ops', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests?status=Submitted`);
    expect(submittedQueue.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    const mine = await api.call('u-requester', 'GET', '/v1/my-requests?status=Done');
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(id);
  });

  it('an assignment racing a comment is not undone either', async () => {
    const submitted = await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Race 2', kind: 'Rail' } } });
    const id = submitted.body.id as string;
    beforeComment = async () => {
      expect((await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body: { assigneeId: null } })).status).toBe(200);
    };
    expect((await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body: { comment: 'Looking' } })).status).toBe(200);
    const mineQueue = await api.call('u-ops', 'GET', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests?assignee=me`);
    expect(mineQueue.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it('the answer of a PATCH is the request as a GET then shows it; an assignee outside the team is a 400 that changes nothing', async () => {
    const id = (await api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: 'Answer', kind: 'Hotel' } } })).body.id as string;
    for (const body of [{ status: 'In Progress', comment: 'Looking' }, { comment: 'Still looking' }, { assigneeId: 'u-ops', status: 'Done' }]) {
      const patched = await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual((await api.call('u-ops', 'GET', `/v1/requests/${id}`)).body);
    }
    const before = (await api.call('u-ops', 'GET', `/v1/requests/${id}`)).body;
    const outsider = await api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body: { assigneeId: 'u-agent' } });
    expect(outsider.status).toBe(400);
    expect(outsider.body.errors.map((e: { path: string }) => e.path)).toEqual(['assigneeId']);
    expect((await api.call('u-ops', 'GET', `/v1/requests/${id}`)).body).toEqual(before);
  });

  it('concurrent submits take round-robin turns: none lost, none given twice', async () => {
    for (const userId of ['rr-one', 'rr-two']) {
      expect((await api.call('u-admin', 'POST', '/v1/users', { body: { id: userId, email: `${userId}@keiro.example`, name: userId, orgRole: 'member' } })).status).toBe(201);
      expect((await api.call('u-ops', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/${userId}`, { body: { role: 'member' } })).status).toBeLessThan(300);
    }
    const pool = ['u-ops', 'rr-one', 'rr-two'];
    expect((await api.call('u-ops', 'PUT', `/v1/team-modules/${ARRANGEMENTS_MODULE}/assignment-rules`, { body: { otherwise: { kind: 'round-robin', among: pool } } })).status).toBe(200);
    const position = async () => Number((await api.deps.db.send(new GetCommand({ TableName: api.deps.tableName, Key: teamKeys.moduleConfigKey(ARRANGEMENTS_MODULE), ConsistentRead: true }))).Item?.rrNext ?? 0);
    const before = await position();

    const submitted = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title: `Turn ${i}`, kind: 'Hotel' } } })),
    );
    expect(submitted.map((r) => r.status)).toEqual(Array(6).fill(201));
    const assignees = submitted.map((r) => r.body.assigneeId as string);
    for (const userId of pool) expect(assignees.filter((a) => a === userId)).toHaveLength(2);
    expect(await position()).toBe(before + 6);
  });
});
