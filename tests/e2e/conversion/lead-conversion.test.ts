import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertLead } from '../../../functions/conversion/convert-lead.js';
import { recordKeys } from '../../../shared/db/keys.js';
import { getRecord } from '../../../shared/db/records-repo.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const createLead = async (fields: Record<string, unknown>, userId = 'u-agent') => {
  const res = await api.call<any>(userId, 'POST', '/v1/records/Leads', { body: { fields } });
  expect(res.status).toBe(201);
  return res.body;
};

const history = async (module: string, id: string) => (await api.call<any>('u-admin', 'GET', `/v1/records/${module}/${id}/history`)).body.items;

describe('lead conversion over HTTP', () => {
  it('turns a lead into a contact, an account and a deal in one go, carrying industry, and marks the lead converted', async () => {
    const lead = await createLead({ firstName: 'Aiko', lastName: 'Mori', email: 'aiko.mori@example.jp', phone: '090-5555-0101', company: 'Mori Travel KK', industry: 'Travel', leadStatus: 'Qualified' });
    const res = await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: { deal: { fields: { name: 'Hokkaido group tour', amount: 1200000 } } } });
    expect(res.status).toBe(201);
    const { contactId, accountId, dealId } = res.body;
    expect(res.body.created).toHaveLength(3);
    expect(res.body.linked).toEqual([]);

    const contact = (await api.call<any>('u-agent', 'GET', `/v1/records/Contacts/${contactId}`)).body;
    expect(contact.fields).toMatchObject({ firstName: 'Aiko', lastName: 'Mori', email: 'aiko.mori@example.jp', industry: 'Travel', accountId });
    expect(contact.ownerId).toBe('u-agent');
    const account = (await api.call<any>('u-agent', 'GET', `/v1/records/Accounts/${accountId}`)).body;
    expect(account.fields).toMatchObject({ name: 'Mori Travel KK', industry: 'Travel' });
    const deal = (await api.call<any>('u-agent', 'GET', `/v1/records/Deals/${dealId}`)).body;
    expect(deal.fields).toMatchObject({ name: 'Hokkaido group tour', amount: 1200000, industry: 'Travel', contactId, accountId });
    const after = (await api.call<any>('u-agent', 'GET', `/v1/records/Leads/${lead.id}`)).body;
    expect(after.fields.converted).toBe(true);

    const leadHistory = await history('Leads', lead.id);
    expect(leadHistory[0]).toMatchObject({ event: 'lead.converted', via: 'conversion', changes: [{ field: 'converted', old: null, new: true }] });
    for (const [module, id] of [['Contacts', contactId], ['Accounts', accountId], ['Deals', dealId]] as const) {
      // The same transaction may also start a process (the new account's review): same instant, either order.
      expect(await history(module, id)).toContainEqual(expect.objectContaining({ event: 'record.created', via: 'conversion', actor: 'u-agent' }));
    }
  });

  it('refuses a second conversion and any edit of a converted lead with 409', async () => {
    const lead = await createLead({ lastName: 'Twice', company: 'Twice Co' });
    expect((await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} })).status).toBe(201);
    const again = await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} });
    expect(again.status).toBe(409);
    const edit = await api.call<any>('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { leadStatus: 'New' } } });
    expect(edit.status).toBe(409);
    expect(edit.headers.get('content-type')).toContain('application/problem+json');
    const adminEdit = await api.call<any>('u-admin', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { firstName: 'X' } } });
    expect(adminEdit.status).toBe(409);
  });

  it('links an existing contact with the same email (or phone) instead of duplicating it', async () => {
    const existing = (await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: 'Sato', email: 'Ken.Sato@example.jp' } } })).body;
    const lead = await createLead({ lastName: 'Sato', email: 'ken.sato@EXAMPLE.jp' });
    const res = await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} });
    expect(res.status).toBe(201);
    expect(res.body.contactId).toBe(existing.id);
    expect(res.body.linked).toEqual([{ module: 'Contacts', id: existing.id }]);
    expect(res.body.accountId).toBeUndefined();
    const lookup = await api.call<any>('u-agent', 'GET', '/v1/records/Contacts/lookup?field=email&value=ken.sato%40example.jp');
    expect(lookup.body.items).toHaveLength(1);
    expect((await history('Contacts', existing.id))[0]).toMatchObject({ event: 'record.linked', via: 'conversion' });

    const byPhone = (await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: 'Ito', phone: '+81 90 7777 0000' } } })).body;
    const lead2 = await createLead({ lastName: 'Ito', phone: '090-7777-0000' });
    expect((await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead2.id}/convert`, { body: {} })).body.contactId).toBe(byPhone.id);
  });

  it('links an existing account when asked, and refuses one that does not exist with 400 (nothing written)', async () => {
    const account = (await api.call<any>('u-agent', 'POST', '/v1/records/Accounts', { body: { fields: { name: 'Existing KK' } } })).body;
    const lead = await createLead({ lastName: 'Linked', company: 'Whatever', email: 'linked@example.jp' });
    const bad = await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: { account: { existingId: 'NOPE' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('account.existingId');
    const res = await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: { account: { existingId: account.id } } });
    expect(res.status).toBe(201);
    expect(res.body.accountId).toBe(account.id);
    expect(res.body.linked).toEqual([{ module: 'Accounts', id: account.id }]);
  });

  it('is atomic: a transaction that fails in the middle leaves no contact, no account and an unconverted lead', async () => {
    const lead = await createLead({ lastName: 'Atomic', email: 'atomic@example.jp', company: 'Atomic KK' });
    let ids: string[] = [];
    const deps = { ...api.deps, newId: () => { const id = api.deps.newId(); ids.push(id); return id; } };
    ids = [];
    // The injected failure: one more item in the same transaction whose condition cannot hold.
    const failing = { ConditionCheck: { TableName: deps.tableName, Key: recordKeys.key('Leads', 'NO-SUCH-LEAD'), ConditionExpression: 'attribute_exists(PK)' } };
    await expect(convertLead(deps, lead.id, { deal: { fields: { name: 'Atomic deal' } } }, { actor: 'u-agent', via: 'conversion', correlationId: 'c' }, { extraItems: [failing] })).rejects.toThrow();
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const module of ['Contacts', 'Accounts', 'Deals']) for (const id of ids) expect(await getRecord(deps, module, id)).toBeUndefined();
    expect((await getRecord(deps, 'Leads', lead.id))?.fields.converted).toBeUndefined();
    expect((await api.call<any>('u-agent', 'GET', '/v1/records/Contacts/lookup?field=email&value=atomic%40example.jp')).body.items).toEqual([]);
    // …and converting afterwards works.
    expect((await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} })).status).toBe(201);
  });

  it('refuses a member who may not change the lead (404 for a guest), and bad deal fields with 400 at deal.fields', async () => {
    const lead = await createLead({ lastName: 'Guarded', company: 'G' }, 'u-manager');
    expect((await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} })).status).toBe(403);
    expect((await api.call<any>('u-requester', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} })).status).toBe(404);
    const bad = await api.call<any>('u-manager', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: { deal: { fields: { stage: 'Dreaming' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('deal.fields.stage');
    expect((await api.call<any>('u-manager', 'GET', `/v1/records/Leads/${lead.id}`)).body.fields.converted).toBeUndefined();
  });
});

describe('the lead-conversion mapping setting', () => {
  it('shows the full effective mapping, same-name fields such as industry included', async () => {
    const res = await api.call<any>('u-agent', 'GET', '/v1/settings/lead-conversion');
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({ firstName: 'firstName', lastName: 'lastName', email: 'email', phone: 'phone', industry: 'industry' });
    expect(res.body.account).toMatchObject({ name: 'company', industry: 'industry', phone: 'phone' });
    expect(res.body.deal).toMatchObject({ industry: 'industry' });
    expect(res.body.contact.converted).toBeUndefined();
    expect(res.body.contact.accountId).toBeUndefined();
  });

  it('validates at save (types must fit, fields must exist) and only an org admin may change it', async () => {
    const misfit = await api.call<any>('u-admin', 'PUT', '/v1/settings/lead-conversion', { body: { deal: { amount: 'company' }, contact: { nope: 'email', timeZone: 'missing' } } });
    expect(misfit.status).toBe(400);
    expect(misfit.body.errors.map((e: any) => e.path).sort()).toEqual(['contact.nope', 'contact.timeZone', 'deal.amount']);
    const member = await api.call<any>('u-agent', 'PUT', '/v1/settings/lead-conversion', { body: { contact: { timeZone: 'company' } } });
    expect(member.status).toBe(403);
    // A text field may not feed a time zone (it could carry any text); text into text fits.
    const zone = await api.call<any>('u-admin', 'PUT', '/v1/settings/lead-conversion', { body: { contact: { timeZone: 'company' } } });
    expect(zone.status).toBe(400);
    expect(zone.body.errors.map((e: any) => e.path)).toEqual(['contact.timeZone']);
    const saved = await api.call<any>('u-admin', 'PUT', '/v1/settings/lead-conversion', { body: { contact: { firstName: 'company', industry: null } } });
    expect(saved.status).toBe(200);
    expect(saved.body.contact.firstName).toBe('company');
    expect(saved.body.contact.industry).toBeUndefined();
    expect(saved.headers.get('etag')).toBe('"1"');
    const stale = await api.call<any>('u-admin', 'PUT', '/v1/settings/lead-conversion', { body: {}, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    const lead = await createLead({ lastName: 'Mapped', company: 'Tanaka Travel', industry: 'Travel' });
    const res = await api.call<any>('u-agent', 'POST', `/v1/records/Leads/${lead.id}/convert`, { body: {} });
    const contact = (await api.call<any>('u-agent', 'GET', `/v1/records/Contacts/${res.body.contactId}`)).body;
    expect(contact.fields.firstName).toBe('Tanaka Travel');
    expect(contact.fields.industry).toBeUndefined();
    // Back to the defaults for the other tests.
    expect((await api.call<any>('u-admin', 'PUT', '/v1/settings/lead-conversion', { body: {} })).status).toBe(200);
  });
});
