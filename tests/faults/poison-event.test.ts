import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowRuleKeys } from '../../shared/db/keys.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import type { EventRouter } from '../../infra/local/events/router.js';
import { mailTo } from '../support/cadence-cloud.js';
import { startE2eWithEvents, waitFor } from '../support/events.js';
import type { E2eApi } from '../support/e2e.js';

// A poison event: one its consumer cannot handle, however often it retries. Here it is a record change
// that triggers a workflow rule this version of Keiro cannot run (its stored definition names an action
// type the code does not know, as a rule written by a newer version during a rolling deploy or before a
// rollback would). The whole local event path runs: outbox → stream poller → router → every product
// consumer. What must hold: the delivery is retried and then dead-lettered (never dropped), the dead
// letter is visible in GET /v1/admin/dead-letters, a replay before the fix fails cleanly and applies
// nothing, and once the rule is fixed the replay runs it exactly once; a second replay is refused (409)
// and a redelivery of the same event applies nothing twice.

const OWNER_EMAIL = 'u-agent@keiro.example';

describe('a poison event', () => {
  let api: E2eApi;
  let router: EventRouter;
  let stop: () => Promise<void>;
  const seen: BusEvent[] = [];

  beforeAll(async () => {
    const cloud = await startE2eWithEvents();
    api = cloud.api;
    router = cloud.events.router;
    stop = cloud.stop;
    api.deps.deadLetterReplayer = router;
    router.tap((e) => void seen.push(e));
  });
  afterAll(async () => {
    await stop();
  });

  it('is dead-lettered, visible, and once fixed replays exactly once', async () => {
    const stamp = Date.now();
    const definition = {
      name: `Negotiation kickoff ${stamp}`,
      module: 'Deals',
      trigger: { type: 'fieldChanged', field: 'stage', to: { op: 'eq', value: 'Negotiation' } },
      actions: [
        { type: 'createTask', subject: 'Prepare the negotiation for {{name}}', assignee: { kind: 'owner' }, dueInDays: 2 },
        { type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 'Negotiation starts: {{name}}', text: 'The deal {{name}} is in negotiation.' } },
      ],
      active: true,
    };
    const rule = await api.call('u-admin', 'POST', '/v1/workflow-rules', { body: definition });
    expect(rule.status).toBe(201);
    const ruleId = rule.body.id as string;
    // What a newer version would have stored: an action type this code does not know.
    await api.deps.db.send(
      new UpdateCommand({ TableName: api.deps.tableName, Key: workflowRuleKeys.key(ruleId), UpdateExpression: 'SET actions[1].#type = :t', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':t': 'sendSms' } }),
    );

    const name = `Poisoned deal ${stamp}`;
    const deal = await api.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name, stage: 'Proposal' } } });
    expect(deal.status).toBe(201);
    const dealId = deal.body.id as string;
    const moved = await api.call('u-agent', 'PATCH', `/v1/records/Deals/${dealId}`, { body: { fields: { stage: 'Negotiation' } } });
    expect(moved.status).toBe(200);

    const tasks = async () => ((await api.call('u-agent', 'GET', `/v1/records/Tasks?filter[relatedId]=${dealId}`)).body.items as Array<{ fields: { subject: string } }>).filter((t) => t.fields.subject === `Prepare the negotiation for ${name}`);
    const emails = async () => (await mailTo(OWNER_EMAIL)).filter((m) => m.subject === `Negotiation starts: ${name}`);
    const isTheChange = (e: BusEvent) => e['detail-type'] === 'record.updated' && (e.detail.data as { recordId?: string }).recordId === dealId;

    // Retried, then dead-lettered for the one subscription that could not take it.
    const letter = await waitFor(async () => {
      const res = await api.call('u-admin', 'GET', '/v1/admin/dead-letters?status=pending&limit=200');
      expect(res.status).toBe(200);
      return (res.body.items as Array<{ id: string; subscriptionId: string; event: BusEvent }>).find((d) => isTheChange(d.event));
    }, 'the dead letter', 30_000);
    expect(letter).toMatchObject({ subscriptionId: 'workflow-rules', target: { kind: 'consumer', consumer: 'workflow-rules' }, eventName: 'record.updated', origin: 'local-router', attempts: 3 });
    const change = seen.find(isTheChange) as BusEvent;
    expect(letter.event.detail.metadata.id).toBe(change.detail.metadata.id);
    const one = await api.call('u-admin', 'GET', `/v1/admin/dead-letters/${letter.id}`);
    expect(one.status).toBe(200);
    expect(one.body.error).toMatchObject({ name: 'UnknownActionType', message: expect.stringContaining('Action 2 of workflow-rule') });
    expect(one.body.error.message).toContain('"sendSms"');
    // The rule's first action ran once; the retries repeated nothing, and nothing after the poison ran.
    expect(await tasks()).toHaveLength(1);
    expect(await emails()).toEqual([]);

    // Replayed before the fix: it fails again, cleanly, and applies nothing.
    const early = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${letter.id}/replay`);
    expect(early.status).toBe(202);
    expect(early.body).toMatchObject({ status: 'failed', replayCount: 1 });
    expect(await tasks()).toHaveLength(1);
    expect(await emails()).toEqual([]);

    // The fix: an admin saves the rule again with actions this version knows.
    const current = await api.call('u-admin', 'GET', `/v1/workflow-rules/${ruleId}`);
    const fixed = await api.call('u-admin', 'PUT', `/v1/workflow-rules/${ruleId}`, {
      headers: { 'if-match': current.headers.get('etag') ?? '*' },
      body: definition,
    });
    expect(fixed.status).toBe(200);

    const replayed = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${letter.id}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ status: 'replayed', replayCount: 2 });
    expect(await tasks()).toHaveLength(1);
    expect(await emails()).toHaveLength(1);
    const executions = (await api.call('u-admin', 'GET', `/v1/workflow-rules/${ruleId}/executions`)).body.items as Array<{ sourceEventId: string; outcome: string; actions: Array<{ status: string }> }>;
    expect(executions.filter((e) => e.sourceEventId === change.detail.metadata.id)).toMatchObject([{ outcome: 'ran', actions: [{ status: 'done' }, { status: 'done' }] }]);

    // A second replay is refused; the event delivered once more (the bus delivers at least once) applies nothing.
    const twice = await api.call('u-admin', 'POST', `/v1/admin/dead-letters/${letter.id}/replay`);
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toContain('application/problem+json');
    const again = await router.publish(change);
    expect(again.every((d) => d.outcome === 'delivered')).toBe(true);
    expect(await tasks()).toHaveLength(1);
    expect(await emails()).toHaveLength(1);
    const history = (await api.call('u-agent', 'GET', `/v1/records/Deals/${dealId}/history`)).body.items as Array<{ event: string }>;
    expect(history.filter((h) => h.event === 'record.updated')).toHaveLength(1);
    const letters = (await api.call('u-admin', 'GET', '/v1/admin/dead-letters?limit=200')).body.items as Array<{ event: BusEvent }>;
    expect(letters.filter((d) => isTheChange(d.event))).toHaveLength(1);
  });
});
