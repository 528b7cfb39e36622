import { describe, expect, it } from 'vitest';
import { ARRANGEMENTS_MODULE } from '../../../infra/local/seed-teams.js';
import { useMeteredApi } from '../../support/metered-api.js';

/**
 * Fault 9 of the hardening issue: DynamoDB round trips per request on the records core's hot paths,
 * counted with the bench's meter (calls, never time). Before: get 4, patch 5, create 4.
 */
describe('DynamoDB round trips per request', () => {
  const metered = useMeteredApi();

  /** Runs one request, which must succeed, and returns it with the DynamoDB calls it made, by command. */
  const counted = async (user: string, method: string, path: string, body?: unknown) => {
    const call = await metered.counted(user, method, path, body);
    expect(call.status, JSON.stringify(call.body)).toBeLessThan(300);
    return call;
  };

  it('org module: create 2, get 1, patch 2 (the caller, module and record in one BatchGetItem)', async () => {
    const created = await counted('u-agent', 'POST', '/v1/records/Leads', { fields: { lastName: 'Counted', leadStatus: 'New' } });
    expect(created.byCommand).toEqual({ BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
    const got = await counted('u-agent', 'GET', `/v1/records/Leads/${created.body.id}`);
    expect(got.byCommand).toEqual({ BatchGetItemCommand: 1 });
    const patched = await counted('u-agent', 'PATCH', `/v1/records/Leads/${created.body.id}`, { fields: { company: 'Counted Co' } });
    expect(patched.byCommand).toEqual({ BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
    const deleted = await counted('u-agent', 'DELETE', `/v1/records/Leads/${created.body.id}`);
    expect(deleted.byCommand).toEqual({ BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
  });

  it("team module: the caller's team grants join the same BatchGetItem once the module's team is known", async () => {
    const created = await counted('u-ops', 'POST', `/v1/records/${ARRANGEMENTS_MODULE}`, { fields: { title: 'Counted', kind: 'Hotel' } });
    const got = await counted('u-ops', 'GET', `/v1/records/${ARRANGEMENTS_MODULE}/${created.body.id}`);
    expect(got.byCommand).toEqual({ BatchGetItemCommand: 1 });
    const patched = await counted('u-ops', 'PATCH', `/v1/records/${ARRANGEMENTS_MODULE}/${created.body.id}`, { fields: { destination: 'Kyoto' } });
    expect(patched.byCommand).toEqual({ BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
  });

  it('the manager chain is read only when the answer depends on it', async () => {
    const lead = await counted('u-agent', 'POST', '/v1/records/Leads', { fields: { lastName: 'Chain' } });
    // An admin changes anyone's record: no chain read.
    expect((await counted('u-admin', 'PATCH', `/v1/records/Leads/${lead.body.id}`, { fields: { company: 'A' } })).calls).toBe(2);
    // The agent's manager: one read of the owner's directory entry to find the manager.
    const byManager = await counted('u-manager', 'PATCH', `/v1/records/Leads/${lead.body.id}`, { fields: { company: 'M' } });
    expect(byManager.byCommand.GetItemCommand).toBeGreaterThanOrEqual(1);
  });

  it('nothing about the caller is cached: a directory change holds on the very next request', async () => {
    const lead = await counted('u-agent', 'POST', '/v1/records/Leads', { fields: { lastName: 'Revocable' } });
    await counted('u-agent', 'GET', `/v1/records/Leads/${lead.body.id}`);
    const demoted = await metered.api.call('u-admin', 'PATCH', '/v1/users/u-agent', { body: { orgRole: 'guest' } });
    expect(demoted.status).toBe(200);
    expect((await metered.api.call('u-agent', 'GET', `/v1/records/Leads/${lead.body.id}`)).status).toBe(404);
    expect((await metered.api.call('u-admin', 'PATCH', '/v1/users/u-agent', { body: { orgRole: 'member' } })).status).toBe(200);
    expect((await metered.api.call('u-agent', 'GET', `/v1/records/Leads/${lead.body.id}`)).status).toBe(200);
  });
});
