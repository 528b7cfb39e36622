import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../../functions/events/consumers.js';
import { subscriptions } from '../../../functions/subscriptions.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { startLocalEvents, waitFor, withoutTimers, type LocalEvents } from '../../support/events.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../support/https-receiver.js';

const SECRET = 'kiosk-webhook-test-secret';

/** A kiosk's webhook action: requested in the run's step (once per step), posted signed by the kiosk-webhook consumer. */
describe('a kiosk that calls a signed webhook', () => {
  let api: E2eApi;
  let events: LocalEvents;
  let hooks: HttpsReceiver;

  beforeAll(async () => {
    hooks = await startHttpsReceiver();
    api = await startE2eApi({ deps: { webhooks: { signingSecret: SECRET, allowPrivateAddresses: true, ca: hooks.ca, backoffMs: 5 } } });
    events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers] });
  });
  afterAll(async () => {
    await events?.stop();
    await api?.close();
    await hooks?.close();
  });

  const kiosk = (url: string) => ({
    name: `Tell the booking system ${Math.random().toString(36).slice(2, 6)}`,
    runners: { orgRoles: ['member'] },
    start: 'ask',
    nodes: [
      { kind: 'screen', id: 'ask', title: 'Booking', components: [{ kind: 'input', id: 'reference', type: 'text', label: 'Booking reference', required: true }], next: 'call' },
      { kind: 'action', id: 'call', action: { type: 'webhook', url, payload: { reference: { ref: 'values.reference' }, source: 'kiosk' } }, next: 'done' },
      { kind: 'end', id: 'done', title: 'Sent', message: 'The booking system was told about {{values.reference}}.' },
    ],
  });

  it('refuses a webhook that is not https at save', async () => {
    const res = await api.call<any>('u-admin', 'POST', '/v1/kiosks', { body: kiosk('http://example.com/hook') });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'nodes.1.action.url', message: 'A webhook must be an https URL' });
  });

  it('posts the payload with the values entered, signed, once, after the run finished', async () => {
    const created = await api.call<any>('u-admin', 'POST', '/v1/kiosks', { body: kiosk(hooks.url) });
    expect(created.status).toBe(201);
    const run = await api.call<any>('u-agent', 'POST', `/v1/kiosks/${created.body.id}/runs`);
    hooks.received.length = 0;
    const done = await api.call<any>('u-agent', 'POST', `/v1/kiosk-runs/${run.body.runId}/submit`, { body: { screenId: 'ask', values: { reference: 'BK-2027-0042' } } });
    expect(done.body).toMatchObject({ done: true, result: { title: 'Sent', message: 'The booking system was told about BK-2027-0042.' } });
    const hook = await waitFor(() => hooks.received[0], 'the webhook');
    expect(JSON.parse(hook.body)).toMatchObject({ reference: 'BK-2027-0042', source: 'kiosk', kiosk: { runId: run.body.runId, step: 'call' } });
    const [t, v1] = String(hook.headers['keiro-signature']).split(',').map((p) => p.split('=')[1]) as [string, string];
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${hook.body}`).digest('hex'));
    await events.router.drain();
    expect(hooks.received).toHaveLength(1);
  });
});
