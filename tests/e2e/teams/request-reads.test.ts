import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE, OPERATIONS_TEAM_ID } from '../../../infra/local/seed-teams.js';
import { requestKeys } from '../../../shared/db/keys.js';
import { getModule } from '../../../shared/db/modules-repo.js';
import { HISTORY_COPY_SLOTS } from '../../../shared/db/request-history-copy.js';
import { submitRequest } from '../../../shared/db/request-writes.js';
import { readRequestPartition } from '../../../shared/db/requests-repo.js';
import { requestIdModule } from '../../../shared/domain/teams/request-id.js';
import { useMeteredApi } from '../../support/metered-api.js';

/**
 * Reading one request (issue 17 §2: a read is 1 round trip): its id names its module, so the locator,
 * the history copy, the record and the caller's access come in one BatchGetItem. The history shown is
 * always the partition's, and the caller's grants are read on every request.
 */
describe('reading one request', () => {
  const metered = useMeteredApi();

  const submit = async (title: string): Promise<string> => {
    const res = await metered.api.call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { body: { fields: { title, kind: 'Hotel' } } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const patch = async (id: string, body: Record<string, unknown>) => expect((await metered.api.call('u-ops', 'PATCH', `/v1/requests/${id}`, { body })).status).toBe(200);
  const counted = (user: string, path: string) => metered.counted(user, 'GET', path);
  /** The history as the request's partition holds it (the truth the copy stands in for). */
  const partitionHistory = async (id: string) => (await readRequestPartition(metered.api.deps, id)).history;

  it('a request names its module and reads in one BatchGetItem, its history as the partition holds it', async () => {
    const id = await submit('One trip');
    expect(requestIdModule(id)).toBe(ARRANGEMENTS_MODULE);
    await patch(id, { status: 'In Progress', comment: 'Looking' });
    await patch(id, { comment: 'Found a hotel' });
    await patch(id, { assigneeId: null, status: 'Done' });
    for (const [user, path] of [['u-ops', `/v1/requests/${id}`], ['u-requester', `/v1/my-requests/${id}`], ['u-admin', `/v1/requests/${id}`]] as const) {
      const got = await counted(user, path);
      expect(got.status, path).toBe(200);
      expect(got.byCommand, `${user} ${path}`).toEqual({ BatchGetItemCommand: 1 });
      expect(got.body.history).toEqual(await partitionHistory(id));
      // One change's entries share a time: the partition orders them by event id, and so does the copy.
      expect(got.body.history.map((h: { event: string }) => h.event).sort()).toEqual(['request.assigned', 'request.commented', 'request.status-changed', 'request.status-changed', 'request.submitted']);
    }
  });

  it('a history longer than its copy holds is read from the partition: still the whole of it', async () => {
    const id = await submit('Long story');
    for (let n = 1; n <= HISTORY_COPY_SLOTS; n++) await patch(id, { comment: `Note ${n}` });
    const got = await counted('u-ops', `/v1/requests/${id}`);
    expect(got.body.history).toHaveLength(HISTORY_COPY_SLOTS + 1);
    expect(got.body.history).toEqual(await partitionHistory(id));
    expect(got.byCommand).toEqual({ BatchGetItemCommand: 1, QueryCommand: 1 });
  });

  it('comments sent at once are all shown, whatever the copy made of the race', async () => {
    const id = await submit('Busy');
    const comments = Array.from({ length: 6 }, (_, i) => `At once ${i}`);
    await Promise.all(comments.map((comment) => patch(id, { comment })));
    const got = await counted('u-ops', `/v1/requests/${id}`);
    expect(got.body.history).toEqual(await partitionHistory(id));
    expect(got.body.history.map((h: { comment?: string }) => h.comment).filter(Boolean).sort()).toEqual(comments);
  });

  it('a member removed from the team is refused on the very next read (404); unknown and hostile ids are 404', async () => {
    const id = await submit('Revocable');
    expect((await metered.api.call('u-admin', 'PUT', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-manager`, { body: { role: 'member' } })).status).toBe(200);
    const read = await counted('u-manager', `/v1/requests/${id}`);
    expect(read.status).toBe(200);
    expect(read.byCommand).toEqual({ BatchGetItemCommand: 1 });
    expect((await metered.api.call('u-admin', 'DELETE', `/v1/team-spaces/${OPERATIONS_TEAM_ID}/members/u-manager`)).status).toBe(204);
    expect((await metered.api.call('u-manager', 'GET', `/v1/requests/${id}`)).status).toBe(404);
    // Another's request under the requester's route, and ids that name another module or none.
    expect((await metered.api.call('u-agent', 'GET', `/v1/my-requests/${id}`)).status).toBe(404);
    for (const other of [id.replace(ARRANGEMENTS_MODULE, 'Leads'), `${id.split('.')[0]}.Contacts`, `${id}.x`, 'x.Arrangements', '01M969BX2DQKYDG7CAE1A6Y97H']) {
      const res = await metered.api.call('u-ops', 'GET', `/v1/requests/${encodeURIComponent(other)}`);
      expect(res.status, other).toBe(404);
    }
  });

  it('a request submitted before ids named their module (no copy) is read and changed as before', async () => {
    const module = await getModule(metered.api.deps, ARRANGEMENTS_MODULE);
    const id = metered.api.deps.newId();
    await submitRequest(metered.api.deps, module as Parameters<typeof submitRequest>[1], { id, requesterId: 'u-requester', fields: { title: 'Old one', kind: 'Rail' } }, { actor: 'u-requester', via: 'api', correlationId: 'old-1' });
    await patch(id, { status: 'In Progress', comment: 'Still works' });
    const got = await counted('u-ops', `/v1/requests/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.history.map((h: { event: string }) => h.event)).toEqual(['request.submitted', 'request.status-changed']);
    expect(got.body.history).toEqual(await partitionHistory(id));
    expect((await metered.api.deps.db.send(new GetCommand({ TableName: metered.api.deps.tableName, Key: requestKeys.historyCopy(id), ConsistentRead: true }))).Item).toBeUndefined();
  });

  it('deleting a request through the records API deletes its history copy with its locator', async () => {
    const id = await submit('Short-lived');
    const copy = async () => (await metered.api.deps.db.send(new GetCommand({ TableName: metered.api.deps.tableName, Key: requestKeys.historyCopy(id), ConsistentRead: true }))).Item;
    expect(await copy()).toBeDefined();
    expect((await metered.api.call('u-ops', 'DELETE', `/v1/records/${ARRANGEMENTS_MODULE}/${id}`)).status).toBe(204);
    expect(await copy()).toBeUndefined();
    expect((await metered.api.call('u-ops', 'GET', `/v1/requests/${id}`)).status).toBe(404);
  });
});
