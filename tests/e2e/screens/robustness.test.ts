import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../../infra/local/seed-kiosks.js';
import { NEW_LEAD_WIZARD_ID } from '../../../infra/local/seed-wizards.js';
import { startE2eApi, type ApiResponse, type E2eApi } from '../../support/e2e.js';
import { hostileValueFor, toJsonText, validValueFor, type FieldMeta } from '../../support/field-arbitraries.js';

/**
 * Wizard sessions and kiosk runs as a careless user or an attacker drives them: values drawn by each
 * component's type from the screen the API returned (valid, at and past the limits, of the wrong type),
 * unknown components, screens that are not the current one, back / draft / finish at any moment.
 * Every answer is a 2xx or a 4xx problem+json (a 400 names `values.<id>`); never a 5xx.
 */
interface Component {
  id: string;
  kind: 'input' | 'choice' | 'display';
  type?: string;
  required: boolean;
  options?: Array<{ value: string }>;
}

const metaOf = (c: Component): FieldMeta => ({ name: c.id, type: c.kind === 'choice' ? 'picklist' : (c.type ?? 'text'), required: c.required, ...(c.options ? { options: c.options.map((o) => o.value) } : {}) });

/** Values for a screen: mostly valid, some hostile, now and then an unknown or injected key. */
const valuesFor = (components: readonly Component[]): fc.Arbitrary<Record<string, unknown>> => {
  const inputs = components.filter((c) => c.kind !== 'display');
  if (inputs.length === 0) return fc.constant({});
  return fc
    .tuple(
      ...inputs.map((c) => fc.oneof({ arbitrary: validValueFor(metaOf(c)) ?? fc.constant(undefined), weight: 3 }, { arbitrary: hostileValueFor(metaOf(c)), weight: 2 }, { arbitrary: fc.constant(undefined), weight: 1 })),
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('__proto__', 'constructor', 'PK', 'shoeSize', 'values.x'), weight: 1 }),
    )
    .map(([...drawn]) => {
      const extra = drawn.pop() as string | undefined;
      const out: Record<string, unknown> = {};
      inputs.forEach((c, i) => {
        if (drawn[i] !== undefined) out[c.id] = drawn[i];
      });
      if (extra) out[extra] = 'x';
      return out;
    });
};

const answered = (res: ApiResponse<any>, what: string) => {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), what).toContain('application/problem+json');
    if (res.status === 400) for (const e of res.body.errors ?? []) expect(e.path, what).toMatch(/^(values\.|\(body\)|\(root\)|screenId|values$)/);
  }
};

describe('wizard sessions and kiosk runs under hostile input', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi();
    expect((await api.call('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { lastName: 'Fuzz', phone: '090-3333-4444' } } })).status).toBe(201);
  });
  afterAll(async () => api?.close());

  const raw = (userId: string, method: string, path: string, body: unknown) =>
    api.call<any>(userId, method, path, { body: toJsonText(body), headers: { 'content-type': 'application/json' } });

  it('a wizard session answers every step with a 2xx or a precise 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('submit', 'submit', 'submit', 'other-screen', 'back', 'draft', 'finish'), { minLength: 1, maxLength: 8 }), fc.integer(), async (steps, seed) => {
        const started = await api.call<any>('u-agent', 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`);
        expect(started.status).toBe(201);
        let session = started.body;
        let n = seed;
        for (const step of steps) {
          const path = `/v1/wizard-sessions/${session.sessionId}`;
          const components: Component[] = session.screen?.components ?? [];
          const values = fc.sample(valuesFor(components), { numRuns: 1, seed: n++ })[0]!;
          const res =
            step === 'submit' && session.screen
              ? await raw('u-agent', 'POST', `${path}/screens/${session.screen.id}`, { values })
              : step === 'other-screen'
                ? await raw('u-agent', 'POST', `${path}/screens/${['contact-details', 'travel-wishes', 'consent', 'nope', '../x'][Math.abs(n) % 5]}`, { values })
                : step === 'back'
                  ? await api.call<any>('u-agent', 'POST', `${path}/back`)
                  : step === 'draft'
                    ? await raw('u-agent', 'POST', `${path}/save-draft`, { values })
                    : await api.call<any>('u-agent', 'POST', `${path}/finish`);
          answered(res, `${step} ${JSON.stringify(values)}`);
          if (res.status === 200 && res.body.sessionId) session = res.body;
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a kiosk run answers every submit with a 2xx or a precise 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('submit', 'submit', 'submit', 'other-screen', 'junk-body'), { minLength: 1, maxLength: 6 }), fc.integer(), async (steps, seed) => {
        const started = await api.call<any>('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
        expect(started.status).toBe(201);
        let run = started.body;
        let n = seed;
        for (const step of steps) {
          if (run.done) break;
          const path = `/v1/kiosk-runs/${run.runId}/submit`;
          const values = fc.sample(valuesFor(run.screen.components), { numRuns: 1, seed: n++ })[0]!;
          const res =
            step === 'submit'
              ? await raw('u-agent', 'POST', path, { screenId: run.screen.id, values })
              : step === 'other-screen'
                ? await raw('u-agent', 'POST', path, { screenId: ['new-dates', 'pick-application', 'nope'][Math.abs(n) % 3], values })
                : await raw('u-agent', 'POST', path, fc.sample(fc.jsonValue({ maxDepth: 2 }), { numRuns: 1, seed: n++ })[0]);
          answered(res, `${step} ${JSON.stringify(values)}`);
          if (res.status === 200) run = res.body;
        }
      }),
      { numRuns: 25 },
    );
  });
});
