import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumers } from '../../functions/events/consumers.js';
import { subscriptions } from '../../functions/subscriptions.js';
import { HIGH_VALUE_DEAL_RULE_ID } from '../../infra/local/seed-workflow-rules.js';
import { mailMarkerKeys } from '../../shared/db/keys.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { mailTo } from '../support/cadence-cloud.js';
import { startE2eApi, type E2eApi } from '../support/e2e.js';
import { startLocalEvents, waitFor, withoutTimers, type LocalEvents } from '../support/events.js';

// An action-library email whose send crashed half-way: an earlier delivery claimed it and never confirmed
// it (its process died while SES was answering), so nobody knows whether it went out. Keiro never guesses:
// the deliveries of the event fail (UnconfirmedSend), are retried, and the event is dead-lettered. An
// operator who checked that the mail did not arrive replays the dead letter, and that replay sends it once;
// a second replay is refused. Here the crashed claim is written as the crashed delivery left it (the
// workflow rule "High-value deal alert" emails the owner's manager), then the local event path runs.

const MANAGER = 'u-manager@keiro.example';

describe('an action email claimed by a delivery that crashed mid-send', () => {
  let api: E2eApi;
  let events: LocalEvents | undefined;

  beforeAll(async () => {
    api = await startE2eApi();
  });
  afterAll(async () => {
    await events?.stop();
    await api.close();
  });

  it('is dead-lettered instead of guessed at, and an operator replay sends it exactly once', async () => {
    const name = `Crashed send deal ${Date.now()}`;
    const deal = await api.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name, amount: 1000 } } });
    expect(deal.status).toBe(201);
    const dealId = deal.body.id as string;
    expect((await api.call('u-agent', 'PATCH', `/v1/records/Deals/${dealId}`, { body: { fields: { amount: 3_000_000 } } })).status).toBe(200);
    const history = await api.call('u-agent', 'GET', `/v1/records/Deals/${dealId}/history`);
    const change = (history.body.items as Array<{ id: string; event: string }>).find((e) => e.event === 'record.updated');
    expect(change).toBeDefined();

    // What the crashed delivery left: the email (action 1 of the rule, for this event) claimed ten minutes ago, never confirmed.
    const mailEventId = `${change!.id}.${HIGH_VALUE_DEAL_RULE_ID}.1`;
    const claimedAt = new Date(Date.now() - 10 * 60_000);
    await api.deps.db.send(
      new PutCommand({ TableName: api.deps.tableName, Item: { ...mailMarkerKeys.key(mailEventId, MANAGER), entity: 'MailMarker', status: 'SENDING', claimedAt: claimedAt.toISOString(), expiresAt: Math.floor(claimedAt.getTime() / 1000) + 86_400 } }),
    );

    events = startLocalEvents(api.deps, { subscriptions: withoutTimers(subscriptions), consumers: [...consumers] });
    api.deps.deadLetterReplayer = events.router;
    const isTheChange = (e: BusEvent) => e.detail?.metadata?.id === change!.id;
    const letter = await waitFor(async () => {
      const res = await api.call('u-admin', 'GET', '/v1/admin/dead-letters?limit=200');
      return (res.body.items as Array<{ id: string; subscriptionId: string; event: BusEvent; error: { name: string } }>).find((d) => d.subscriptionId === 'workflow-rules' && isTheChange(d.event));
    }, 'the dead letter', 30_000);
    expect(letter.error.name).toBe('UnconfirmedSend');
    const alerts = async () => (await mailTo(MANAGER)).filter((m) => m.subject === `High-value deal: ${name}`);
    expect(await alerts()).toEqual([]);

    const replayed = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${letter.id}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body.status).toBe('replayed');
    expect(await alerts()).toHaveLength(1);
    const twice = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${letter.id}/replay`);
    expect(twice.status).toBe(409);
    // The same event delivered once more (at least once) sends nothing either.
    await events.router.publish(letter.event);
    expect(await alerts()).toHaveLength(1);
    const tasks = await api.call('u-agent', 'GET', `/v1/records/Tasks?filter[relatedId]=${dealId}`);
    expect((tasks.body.items as Array<{ fields: { subject: string } }>).filter((t) => t.fields.subject === 'Plan the high-value deal')).toHaveLength(1);
  });
});
