import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { expectWriteAnswered, fieldsFor, hostileFieldValue, RawNumber, toJsonText, type FieldMeta } from '../../support/field-arbitraries.js';

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const leadFieldNames = ['firstName', 'lastName', 'email', 'phone', 'company', 'industry', 'leadSource', 'leadStatus', 'timeZone', 'converted', 'unknownField'];

describe('bad input never becomes a 5xx', () => {
  it('property: any JSON body to create a lead is 201 or a 400 problem with field paths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ fields: fc.dictionary(fc.constantFrom(...leadFieldNames), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        async (body) => {
          const res = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: JSON.stringify(body) });
          expect([201, 400]).toContain(res.status);
          if (res.status === 400) {
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            expect(res.body.errors.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: any query string to list leads is 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.oneof(fc.constantFrom('limit', 'cursor', 'sort', 'ownerId', 'filter[leadStatus]', 'filter[nope]', 'filter[converted]'), fc.string()), fc.string()), async (query) => {
        const res = await api.call('u-agent', 'GET', `/v1/records/Leads?${new URLSearchParams(query).toString()}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });

  it('property: any If-Match header is 200, 400 or 412, never a 5xx', async () => {
    const lead = await api.call<any>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'IfMatch' } } });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), async (ifMatch) => {
        const res = await api.call('u-agent', 'PATCH', `/v1/records/Leads/${lead.body.id}`, { body: { fields: { company: 'X' } }, headers: { 'if-match': ifMatch } });
        expect([200, 400, 412]).toContain(res.status);
      }),
      { numRuns: 40 },
    );
  });
});

describe('values drawn by field type from the module metadata never become a 5xx', () => {
  /** Org modules covering every standard field type: text, email, phone, picklist, lookup, user, number, currency, percent, date, datetime, textarea, boolean. */
  const MODULES = ['Leads', 'Contacts', 'Deals', 'Cases', 'Tasks', 'Calls', 'TravelApplications'];
  const meta = new Map<string, FieldMeta[]>();
  /** One record per module to patch, and ids that lookups may name. */
  const targets = new Map<string, string>();
  const existingIds: Record<string, string[]> = {};

  beforeAll(async () => {
    const account = await api.call<any>('u-agent', 'POST', '/v1/records/Accounts', { body: { fields: { name: 'Fuzz account' } } });
    const contact = await api.call<any>('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: 'Fuzz', accountId: account.body.id } } });
    existingIds.Accounts = [account.body.id];
    existingIds.Contacts = [contact.body.id];
    const minimal: Record<string, Record<string, string>> = {
      Leads: { lastName: 'Target' },
      Contacts: { lastName: 'Target' },
      Deals: { name: 'Target' },
      Cases: { subject: 'Target' },
      Tasks: { subject: 'Target' },
      Calls: { subject: 'Target' },
      TravelApplications: { name: 'Target', contactId: contact.body.id },
    };
    for (const module of MODULES) {
      const res = await api.call<any>('u-agent', 'GET', `/v1/modules/${module}`);
      expect(res.status).toBe(200);
      meta.set(module, res.body.fields);
      const target = await api.call<any>('u-agent', 'POST', `/v1/records/${module}`, { body: { fields: minimal[module] } });
      expect(target.status).toBe(201);
      targets.set(module, target.body.id);
    }
  });


  /**
   * A member who may write these records: never 403. The demo's processes act too: a drawn stage of a
   * travel application is 422 (governed by its blueprint), and a drawn discount over 10 % puts the deal
   * under the seeded approval, so its later patches are 423 (locked) — never a 5xx.
   */
  const ORG_REFUSALS = [400, 404, 409, 412, 422, 423];

  const draw = (mode: 'create' | 'patch') =>
    fc.constantFrom(...MODULES).chain((module) => fieldsFor(meta.get(module) ?? [], mode, existingIds).map((fields) => ({ module, fields })));

  // 100 runs of real HTTP round trips: generous on a busy 2-core machine.
  it('property: POST /v1/records/{module} with typed and hostile values is 201 or a 4xx problem', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(draw('create'), async ({ module, fields }) => {
        const res = await api.call<any>('u-agent', 'POST', `/v1/records/${module}`, { body: toJsonText({ fields }) });
        expectWriteAnswered(res, 201, fields, ORG_REFUSALS);
      }),
      { numRuns: 100 },
    );
  });

  // 100 runs of real HTTP round trips: generous on a busy 2-core machine.
  it('property: PATCH /v1/records/{module}/{id} with typed and hostile values is 200 or a 4xx problem', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(draw('patch'), async ({ module, fields }) => {
        const res = await api.call<any>('u-agent', 'PATCH', `/v1/records/${module}/${targets.get(module)}`, { body: toJsonText({ fields }) });
        expectWriteAnswered(res, 200, fields, ORG_REFUSALS);
      }),
      { numRuns: 100 },
    );
  });

  it('property: a list filter with a hostile value of its field type is 200 or a 400 at filter[<field>]', async () => {
    const filterable = (module: string) => (meta.get(module) ?? []).filter((f) => f.type !== 'multiselect' && f.type !== 'textarea');
    const drawFilter = fc.constantFrom(...MODULES).chain((module) => hostileFieldValue(filterable(module)).map(([name, value]) => ({ module, name, value })));
    await fc.assert(
      fc.asyncProperty(drawFilter, async ({ module, name, value }) => {
        const text = value instanceof RawNumber ? value.text : typeof value === 'string' ? value : JSON.stringify(value);
        const res = await api.call<any>('u-agent', 'GET', `/v1/records/${module}?${new URLSearchParams({ [`filter[${name}]`]: text }).toString()}`);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(res.body.errors[0].path).toBe(`filter[${name}]`);
      }),
      { numRuns: 60 },
    );
  });
});
