import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mailTo, useCadenceCloud } from '../support/cadence-cloud.js';
import { waitFor } from '../support/events.js';
import { startSesFaultProxy, type SesFaultProxy } from '../support/ses-faults.js';

// SES faults across features. Throttling, outages and refusals are injected at SES's HTTP endpoint (a
// fault proxy in front of SES local; the product's own SESv2 client with its SDK retries talks to it)
// while the whole local cloud runs: API, outbox → bus → consumers, the timer's state machines.
//
// What must hold:
// - an action-library email (the workflow rule "High-value deal alert" emails the owner's manager):
//   throttling is retried (SDK backoff, then the consumer's retries) and the mail goes out once; an
//   outage that outlasts the retries dead-letters the event; the replay sends the mail once and does
//   not repeat the rule's task; a second replay is a 409;
// - a cadence email: throttling is retried with backoff and the mail goes out once; throttling or an
//   outage that outlasts every retry dead-letters the step (a `timer.scheduled` for the start-timer
//   subscription), never marks it failed; its replay sends once, a second replay is a 409; a message
//   SES refuses for good ends as a failed step in the report, with nothing sent and no dead letter.

const SCALE = 600; // a simulated 10 minutes per wall-clock second: timer waits are short, sends are real
const cloud = useCadenceCloud(SCALE);
let ses: SesFaultProxy;
const stamp = Date.now();
const MANAGER = 'u-manager@keiro.example';

interface DeadLetter {
  id: string;
  status: string;
  subscriptionId: string;
  eventName: string;
  origin: string;
  attempts: number;
  error: { name: string; message: string };
  event: { detail: { data: Record<string, unknown> } };
}

const deadLetters = async (): Promise<DeadLetter[]> => {
  const res = await cloud.call<{ items: DeadLetter[] }>('u-admin', 'GET', '/v1/admin/dead-letters?limit=200');
  expect(res.status).toBe(200);
  return res.body.items;
};

const replay = (id: string) => cloud.call('u-admin', 'POST', `/v1/admin/dead-letters/${id}/replay`);

beforeAll(async () => {
  ses = await startSesFaultProxy();
  cloud.deps.ses = ses.client();
  // The demo cadence thanks every new lead: off, so that only this file's cadences mail these leads.
  const list = await cloud.call<{ items: Array<{ id: string; name: string }> }>('u-admin', 'GET', '/v1/cadences');
  const demo = list.body.items.find((c) => c.name === 'Travel inquiry follow-up');
  if (demo) expect((await cloud.call('u-admin', 'POST', `/v1/cadences/${demo.id}/deactivate`)).status).toBe(200);
});
afterEach(() => ses.clear());
afterAll(async () => {
  await ses.stop();
});

describe('an action-library email (workflow rule "High-value deal alert") under SES faults', () => {
  const highValueDeal = async (name: string): Promise<string> => {
    const deal = await cloud.call('u-agent', 'POST', '/v1/records/Deals', { body: { fields: { name, amount: 1000 } } });
    expect(deal.status).toBe(201);
    const patched = await cloud.call('u-agent', 'PATCH', `/v1/records/Deals/${deal.body.id}`, { body: { fields: { amount: 2_500_000 } } });
    expect(patched.status).toBe(200);
    return deal.body.id as string;
  };
  const alerts = async (name: string) => (await mailTo(MANAGER)).filter((m) => m.subject === `High-value deal: ${name}`);
  const planningTasks = async (dealId: string) => {
    const res = await cloud.call('u-agent', 'GET', `/v1/records/Tasks?filter[relatedId]=${dealId}`);
    return (res.body.items as Array<{ fields: { subject: string } }>).filter((t) => t.fields.subject === 'Plan the high-value deal');
  };

  it('throttling is retried with backoff and the email goes out exactly once, with no dead letter', async () => {
    ses.inject({ kind: 'throttle', times: 4, to: [MANAGER] });
    const name = `Throttled deal ${stamp}`;
    const dealId = await highValueDeal(name);
    await waitFor(async () => (await alerts(name)).length > 0, 'the alert email', 60_000);
    expect(ses.sends.filter((s) => s.to.includes(MANAGER) && s.answered === 'throttle')).toHaveLength(4);
    await waitFor(async () => (await planningTasks(dealId)).length > 0, 'the planning task');
    const executions = await waitFor(async () => {
      const res = await cloud.call('u-admin', 'GET', '/v1/workflow-rules/01JDEMOWFR0000000000000001/executions');
      const mine = (res.body.items as Array<{ record: { id: string }; actions: Array<{ status: string }> }>).filter((e) => e.record.id === dealId);
      return mine.length > 0 && mine;
    }, 'the rule execution log');
    expect(executions).toHaveLength(1);
    expect(executions[0]!.actions.map((a) => a.status)).toEqual(['done', 'done']);
    expect(await alerts(name)).toHaveLength(1);
    expect(await planningTasks(dealId)).toHaveLength(1);
    expect((await deadLetters()).filter((d) => d.event.detail.data.recordId === dealId)).toEqual([]);
  });

  it('an outage outlasting the retries dead-letters the event; the replay sends the email once and repeats nothing', async () => {
    ses.inject({ kind: 'down', times: Infinity, to: [MANAGER] });
    const name = `Outage deal ${stamp}`;
    const dealId = await highValueDeal(name);
    const letter = await waitFor(async () => (await deadLetters()).find((d) => d.subscriptionId === 'workflow-rules' && d.event.detail.data.recordId === dealId), 'the dead letter', 60_000);
    expect(letter).toMatchObject({ status: 'pending', eventName: 'record.updated', origin: 'local-router', attempts: 3 });
    expect(ses.sends.filter((s) => s.to.includes(MANAGER) && s.answered === 'down').length).toBeGreaterThanOrEqual(3);
    expect(await alerts(name)).toEqual([]);
    // The task (the rule's first action) was created once, before the email failed; the retries did not repeat it.
    expect(await planningTasks(dealId)).toHaveLength(1);

    // Replaying while SES is still down fails again, cleanly, and sends nothing.
    const early = await replay(letter.id);
    expect(early.status).toBe(202);
    expect(early.body).toMatchObject({ status: 'failed', replayCount: 1 });
    expect(await alerts(name)).toEqual([]);

    ses.clear();
    const replayed = await replay(letter.id);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ status: 'replayed', replayCount: 2 });
    expect(await alerts(name)).toHaveLength(1);
    const twice = await replay(letter.id);
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toContain('application/problem+json');
    expect(await alerts(name)).toHaveLength(1);
    expect(await planningTasks(dealId)).toHaveLength(1);
  });
});

describe('a cadence email under SES faults', () => {
  let cadenceId: string;
  beforeAll(async () => {
    const created = await cloud.call('u-admin', 'POST', '/v1/cadences', {
      body: { name: `SES fault drill ${stamp}`, module: 'Leads', sender: { name: 'Keiro' }, steps: [{ id: 'hello', type: 'email', subject: 'Hello {{firstName}}', text: 'Hello {{firstName}}, welcome.' }] },
    });
    expect(created.status).toBe(201);
    cadenceId = created.body.id as string;
    expect((await cloud.call('u-admin', 'POST', `/v1/cadences/${cadenceId}/activate`)).status).toBe(200);
  });

  const enrollLead = async (email: string): Promise<string> => {
    const lead = await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Mio', lastName: 'Sato', email } } });
    expect(lead.status).toBe(201);
    const enrolled = await cloud.call('u-agent', 'POST', `/v1/cadences/${cadenceId}/enrollments`, { body: { recordIds: [lead.body.id] } });
    expect(enrolled.body.items[0].outcome).toBe('enrolled');
    return lead.body.id as string;
  };
  interface Enrollment {
    status: string;
    steps: Array<{ stepId: string; status: string; reason?: string }>;
  }
  const enrollment = async (leadId: string) => (await cloud.call<Enrollment>('u-agent', 'GET', `/v1/cadences/${cadenceId}/enrollments/${leadId}`)).body;
  const hello = (e: Enrollment) => e.steps.find((s) => s.stepId === 'hello');
  const hellos = async (email: string) => (await mailTo(email)).filter((m) => m.subject === 'Hello Mio');
  const stepReport = async () => (await cloud.call('u-agent', 'GET', `/v1/cadences/${cadenceId}/report`)).body.steps[0] as { sent: number; failed: number };
  const letterFor = async (leadId: string) => (await deadLetters()).filter((d) => d.subscriptionId === 'start-timer' && String(d.event.detail.data.key) === `${cadenceId}#${leadId}`);

  it('throttling is retried with backoff and the email goes out exactly once', async () => {
    const email = `throttled.${stamp}@example.jp`;
    ses.inject({ kind: 'throttle', times: 4, to: [email] });
    const leadId = await enrollLead(email);
    await waitFor(async () => (await enrollment(leadId)).status === 'completed', 'the enrollment to complete', 60_000);
    expect(ses.sends.filter((s) => s.to.includes(email)).map((s) => s.answered)).toEqual(['throttle', 'throttle', 'throttle', 'throttle', 'passed']);
    expect(await hellos(email)).toHaveLength(1);
    expect(hello(await enrollment(leadId))?.status).toBe('sent');
    expect(await letterFor(leadId)).toEqual([]);
  });

  for (const kind of ['throttle', 'down'] as const) {
    it(`${kind === 'throttle' ? 'throttling' : 'an outage'} outlasting every retry dead-letters the step (not failed); the replay sends it once`, async () => {
      const email = `${kind}.forever.${stamp}@example.jp`;
      ses.inject({ kind, times: Infinity, to: [email] });
      const leadId = await enrollLead(email);
      const [letter] = await waitFor(async () => {
        const found = await letterFor(leadId);
        return found.length > 0 && found;
      }, 'the dead letter of the step', 90_000);
      expect(letter).toMatchObject({ status: 'pending', eventName: 'timer.scheduled', origin: 'timer-wake', error: { name: 'CadenceSendDeferred' } });
      expect(await letterFor(leadId)).toHaveLength(1);
      const waiting = await enrollment(leadId);
      expect(waiting.status).toBe('active');
      expect(hello(waiting)).toBeUndefined();
      expect(await hellos(email)).toEqual([]);
      expect((await stepReport()).failed).toBe(0);

      let pending = letter!;
      if (kind === 'down') {
        // Replayed while SES still fails: the timer starts (this dead letter is replayed), the step is dead-lettered again.
        const early = await replay(pending.id);
        expect(early.status).toBe(202);
        expect(early.body.status).toBe('replayed');
        const again = await waitFor(async () => (await letterFor(leadId)).find((d) => d.id !== pending.id), 'the step dead-lettered again', 60_000);
        expect(again).toMatchObject({ status: 'pending', origin: 'timer-wake' });
        expect(await hellos(email)).toEqual([]);
        pending = again;
      }
      ses.clear();
      const replayed = await replay(pending.id);
      expect(replayed.status).toBe(202);
      expect(replayed.body.status).toBe('replayed');
      await waitFor(async () => (await enrollment(leadId)).status === 'completed', 'the replayed step to complete the enrollment', 60_000);
      expect(hello(await enrollment(leadId))?.status).toBe('sent');
      expect(await hellos(email)).toHaveLength(1);
      const twice = await replay(pending.id);
      expect(twice.status).toBe(409);
      expect(twice.headers.get('content-type')).toContain('application/problem+json');
      expect(await hellos(email)).toHaveLength(1);
    });
  }

  it('a message SES refuses for good ends as a failed step in the report: nothing sent, no dead letter', async () => {
    const email = `rejected.${stamp}@example.jp`;
    ses.inject({ kind: 'reject', times: Infinity, to: [email] });
    const before = await stepReport();
    const leadId = await enrollLead(email);
    const failed = await waitFor(async () => hello(await enrollment(leadId)), 'the step to end', 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('MessageRejected');
    expect(await stepReport()).toMatchObject({ failed: before.failed + 1, sent: before.sent });
    expect(await hellos(email)).toEqual([]);
    expect(await letterFor(leadId)).toEqual([]);
  });
});
