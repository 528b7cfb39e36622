import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_LEAD_WIZARD_ID } from '../../../infra/local/seed-wizards.js';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../../infra/local/seed-kiosks.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/** Keys of Object.prototype a field map could carry (JSON.parse makes `__proto__` an own key; zod's record parsing drops it). */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/**
 * Every body that takes a field map answers a prototype key with a 400 at `<map>.<key>` and writes
 * nothing: records (create, patch), wizard screens and drafts, kiosk screens, team requests.
 */
describe('prototype keys in field maps (e2e)', () => {
  let api: E2eApi;
  let leadId: string;
  // A fresh session or run per case: an accepted answer would move it on.
  const wizardSession = async () => (await api.call('u-agent', 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`)).body.sessionId as string;
  const kioskRun = async () => (await api.call('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`)).body.runId as string;

  beforeAll(async () => {
    api = await startE2eApi();
    leadId = (await api.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { lastName: 'Proto' } } })).body.id;
  });
  afterAll(() => api?.close());

  /** Each body, with the hostile key as a raw JSON text (so that `__proto__` stays an own key). */
  const bodies: Record<string, { user: string; method: string; path: () => string | Promise<string>; body: (key: string) => string; at: string }> = {
    'create a record': { user: 'u-agent', method: 'POST', path: () => '/v1/records/Leads', body: (k) => `{"fields":{"lastName":"Other","${k}":{"x":1}}}`, at: 'fields' },
    'patch a record': { user: 'u-agent', method: 'PATCH', path: () => `/v1/records/Leads/${leadId}`, body: (k) => `{"fields":{"${k}":{"lastName":"Hacked"}}}`, at: 'fields' },
    'answer a wizard screen': { user: 'u-agent', method: 'POST', path: async () => `/v1/wizard-sessions/${await wizardSession()}/screens/contact-details`, body: (k) => `{"values":{"lastName":"Ok","${k}":"x"}}`, at: 'values' },
    'save a wizard draft': { user: 'u-agent', method: 'POST', path: async () => `/v1/wizard-sessions/${await wizardSession()}/save-draft`, body: (k) => `{"values":{"${k}":"x"}}`, at: 'values' },
    'answer a kiosk screen': { user: 'u-agent', method: 'POST', path: async () => `/v1/kiosk-runs/${await kioskRun()}/submit`, body: (k) => `{"screenId":"customer-phone","values":{"phone":"+81 90 1234 5678","${k}":"x"}}`, at: 'values' },
    'submit a team request': { user: 'u-requester', method: 'POST', path: () => '/v1/team-modules/Arrangements/requests', body: (k) => `{"fields":{"title":"Proto","kind":"Flight","${k}":"x"}}`, at: 'fields' },
  };
  const cases = Object.keys(bodies).flatMap((name) => PROTOTYPE_KEYS.map((key) => ({ name, key })));

  it.each(cases)('$name with $key → 400 at the key, nothing written', async ({ name, key }) => {
    const b = bodies[name]!;
    const before = (await api.call('u-agent', 'GET', `/v1/records/Leads/${leadId}`)).body;
    const res = await api.call(b.user, b.method, await b.path(), { body: b.body(key), headers: { 'content-type': 'application/json' } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: `${b.at}.${key}` })]));
    expect((await api.call('u-agent', 'GET', `/v1/records/Leads/${leadId}`)).body).toEqual(before);
  });
});
