import { describe, expect, it } from 'vitest';
import { mailTo, useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';

// Crash and restart: the local cloud's services (API, stream poller and router, state-machine runner)
// are stopped in the middle of a cadence and started again over the same table, several times. Every
// due email goes out exactly once: none lost, none twice.

const SCALE = 172_800; // a simulated day in half a second
const STEPS = 4;
const LEADS = 4;
const cloud = useCadenceCloud(SCALE);

describe('cadence execution across restarts', () => {
  it(`${LEADS} enrollments × ${STEPS} daily emails, 4 restarts mid-cadence: each email exactly once`, { timeout: 180_000 }, async () => {
    const steps = Array.from({ length: STEPS }, (_, i) => ({
      id: `day-${i + 1}`,
      type: 'email',
      ...(i > 0 ? { parent: `day-${i}` } : {}),
      timing: { after: 'previousStep', amount: i === 0 ? 0 : 1, unit: 'days' },
      subject: `Day ${i + 1} for {{firstName}}`,
      text: `Hello {{firstName}}, message ${i + 1}.`,
    }));
    const created = await cloud.call('u-admin', 'POST', '/v1/cadences', { body: { name: `Restart drill ${Date.now()}`, module: 'Leads', sender: { name: 'Keiro' }, steps } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await cloud.call('u-admin', 'POST', `/v1/cadences/${id}/activate`)).status).toBe(200);
    const stamp = Date.now();
    const addresses = Array.from({ length: LEADS }, (_, i) => `drill.${stamp}.${i}@example.jp`);
    const leadIds: string[] = [];
    for (const email of addresses) {
      const lead = await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Ren', lastName: 'Kato', email } } });
      leadIds.push(lead.body.id);
    }
    const enrolled = await cloud.call('u-agent', 'POST', `/v1/cadences/${id}/enrollments`, { body: { recordIds: leadIds } });
    expect(enrolled.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(leadIds.map(() => 'enrolled'));

    // Restart right after enrolling, then each time the first lead has got one more email: always
    // mid-cadence, whatever the machine's speed.
    const dayMails = async (email: string) => (await mailTo(email)).filter((m) => m.subject.startsWith('Day ')).length;
    await cloud.restart();
    for (let sent = 1; sent < STEPS; sent++) {
      await waitFor(async () => (await dayMails(addresses[0]!)) >= sent, `email ${sent} of the first lead`, 30_000);
      await cloud.restart();
    }
    const done = await waitFor(async () => {
      const page = await cloud.call('u-agent', 'GET', `/v1/cadences/${id}/enrollments?status=completed`);
      return page.body.items.length === LEADS && page.body.items;
    }, 'every enrollment to complete', 30_000);
    expect(done).toHaveLength(LEADS);
    for (const email of addresses) {
      // (The demo cadence also thanks every new lead: only this cadence's mail is counted.)
      const subjects = (await mailTo(email)).map((m) => m.subject).filter((s) => s.startsWith('Day ')).sort();
      expect(subjects).toEqual(Array.from({ length: STEPS }, (_, i) => `Day ${i + 1} for Ren`));
    }
    const report = await cloud.call('u-agent', 'GET', `/v1/cadences/${id}/report`);
    expect(report.body.enrollments).toMatchObject({ total: LEADS, completed: LEADS, active: 0 });
    expect(report.body.steps.map((s: { sent: number; failed: number }) => [s.sent, s.failed])).toEqual(steps.map(() => [LEADS, 0]));
  });
});
