import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

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
