import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '../../../shared/domain/cadence/unsubscribe-token.js';
import { mailTo, useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';

// The cadences API: definitions with versions and validation, who may do what, enrollment outcomes,
// deactivation pausing everything (nothing sent) and reactivation resuming, token checks.

const SCALE = 86_400; // a simulated day per second
const cloud = useCadenceCloud(SCALE);

const twoStep = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  module: 'Leads',
  sender: { name: 'Keiro Travel' },
  steps: [
    { id: 'hello', type: 'email', subject: 'Hello {{firstName}}', text: 'Hi {{firstName}}', html: '<p>Hi {{firstName}}</p>' },
    { id: 'later', type: 'email', parent: 'hello', timing: { amount: 2, unit: 'days' }, subject: 'Later {{firstName}}', text: 'Again' },
  ],
  ...extra,
});
const createCadence = async (body: unknown) => {
  const res = await cloud.call('u-admin', 'POST', '/v1/cadences', { body });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};
/** This file's cadences' mail to an address (the demo cadence also thanks every new lead). */
const mine = async (email: string) => (await mailTo(email)).filter((m) => /^(Hello|Later|New) /.test(m.subject));
const newLead = async (owner: string, email: string, firstName = 'Aoi') => (await cloud.call(owner, 'POST', '/v1/records/Leads', { body: { fields: { firstName, lastName: 'Mori', email } } })).body.id as string;

describe('cadence definitions', () => {
  it('an invalid definition is a 400 naming each path, and nothing is stored', async () => {
    const before = (await cloud.call('u-admin', 'GET', '/v1/cadences?limit=200')).body.items.length;
    const bad = twoStep('Bad', {
      steps: [
        { id: 'a', type: 'email', subject: 'Hi {{nickname}}', text: 't' },
        { id: 'b', type: 'email', parent: 'zzz', subject: 's', text: 't', condition: { event: 'notOpened' } },
      ],
      unenrollment: { criteria: { all: [{ field: 'leadStatus', op: 'eq', value: 'Won' }] } },
    });
    const res = await cloud.call('u-admin', 'POST', '/v1/cadences', { body: bad });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['steps.0.subject', 'steps.1.condition.within', 'steps.1.parent', 'unenrollment.criteria.all.0.value']);
    const schema = await cloud.call('u-admin', 'POST', '/v1/cadences', { body: { ...twoStep('X'), sendWindow: { days: [1], start: '9:00', end: '17:00' } } });
    expect(schema.status).toBe(400);
    expect(schema.body.errors[0].path).toBe('sendWindow.start');
    expect((await cloud.call('u-admin', 'GET', '/v1/cadences?limit=200')).body.items.length).toBe(before);
  });

  it('members read cadences but may not define them (403); guests do not see them (404)', async () => {
    const c = await createCadence(twoStep(`Perm ${Date.now()}`));
    expect((await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}`)).status).toBe(200);
    expect((await cloud.call('u-agent', 'POST', '/v1/cadences', { body: twoStep('Nope') })).status).toBe(403);
    expect((await cloud.call('u-agent', 'PUT', `/v1/cadences/${c.id}`, { body: twoStep('Nope') })).status).toBe(403);
    expect((await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/activate`)).status).toBe(403);
    expect((await cloud.call('u-requester', 'GET', `/v1/cadences/${c.id}`)).status).toBe(404);
    expect((await cloud.call('u-requester', 'GET', `/v1/cadences/${c.id}/report`)).status).toBe(404);
    expect((await cloud.call(null, 'GET', `/v1/cadences/${c.id}`)).status).toBe(401);
    expect((await cloud.call('u-admin', 'POST', '/v1/dev/ses-events', { body: { messageId: 'x', eventType: 'Open' } })).status).toBe(202);
    expect((await cloud.call('u-agent', 'POST', '/v1/dev/ses-events', { body: { messageId: 'x', eventType: 'Open' } })).status).toBe(403);
  });

  it('editing creates a version; an enrollment in flight keeps its own', async () => {
    const c = await createCadence(twoStep(`Versions ${Date.now()}`));
    await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/activate`);
    const email = `ver.${Date.now()}@example.jp`;
    const lead = await newLead('u-agent', email);
    await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [lead] } });
    await waitFor(async () => (await mailTo(email)).some((m) => m.subject === 'Hello Aoi'), 'the first email');
    const edited = twoStep('Versions renamed', { steps: [{ id: 'hello', type: 'email', subject: 'New hello', text: 'x' }, { id: 'later', type: 'email', parent: 'hello', timing: { amount: 2, unit: 'days' }, subject: 'New later', text: 'y' }] });
    const stale = await cloud.call('u-admin', 'PUT', `/v1/cadences/${c.id}`, { body: edited, headers: { 'if-match': '"99"' } });
    expect(stale.status).toBe(412);
    const put = await cloud.call('u-admin', 'PUT', `/v1/cadences/${c.id}`, { body: edited, headers: { 'if-match': `"${c.version}"` } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, name: 'Versions renamed' });
    expect((await cloud.call('u-admin', 'PUT', `/v1/cadences/${c.id}`, { body: { ...edited, module: 'Contacts' } })).status).toBe(409);
    await waitFor(async () => (await mine(email)).length >= 2, 'the second email', 15_000);
    expect((await mine(email)).map((m) => m.subject)).toEqual(['Hello Aoi', 'Later Aoi']);
    expect((await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${lead}`)).body.cadenceVersion).toBe(1);
  });
});

describe('enrollment', () => {
  it('reports each record: enrolled, alreadyEnrolled, notFound, forbidden (not the caller\'s to update); one active enrollment per record', async () => {
    const c = await createCadence(twoStep(`Enroll ${Date.now()}`));
    const inactive = await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: ['x'] } });
    expect(inactive.status).toBe(409);
    await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/activate`);
    const mine = await newLead('u-agent', `e1.${Date.now()}@example.jp`);
    const managers = await newLead('u-manager', `e2.${Date.now()}@example.jp`);
    const res = await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [mine, managers, 'NOPE'] } });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { recordId: mine, outcome: 'enrolled' },
      { recordId: managers, outcome: 'forbidden' },
      { recordId: 'NOPE', outcome: 'notFound' },
    ]);
    // Concurrent enrollments of the same record: exactly one wins.
    const racers = await Promise.all([1, 2, 3].map(() => cloud.call('u-manager', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [managers] } })));
    expect(racers.map((r) => r.body.items[0].outcome).sort()).toEqual(['alreadyEnrolled', 'alreadyEnrolled', 'enrolled']);
    const again = await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [mine] } });
    expect(again.body.items).toEqual([{ recordId: mine, outcome: 'alreadyEnrolled', status: 'active' }]);
    expect((await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [mine, mine] } })).status).toBe(400);
    expect((await cloud.call('u-requester', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [mine] } })).status).toBe(404);

    const manual = await cloud.call('u-agent', 'DELETE', `/v1/cadences/${c.id}/enrollments/${mine}`);
    expect(manual.body).toMatchObject({ status: 'unenrolled', endedReason: 'manual' });
    expect((await cloud.call('u-agent', 'DELETE', `/v1/cadences/${c.id}/enrollments/${managers}`)).status).toBe(403);
    const report = await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/report`);
    expect(report.body.enrollments).toMatchObject({ total: 2, active: 1, unenrolled: 1 });
    expect(report.body.unenrollReasons).toEqual({ manual: 1 });
    const list = await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments?status=unenrolled`);
    expect(list.body.items.map((e: { recordId: string }) => e.recordId)).toEqual([mine]);
    expect((await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments?status=gone`)).status).toBe(400);
  });

  it('enrolls 40 records in one request (more than one transaction holds): each once, counted once; an unsubscribed address is reported, an erased record refuses the whole request', async () => {
    const c = await createCadence(twoStep(`Many ${Date.now()}`));
    await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/activate`);
    const stamp = Date.now();
    const leads: string[] = [];
    for (let i = 0; i < 40; i += 10) leads.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => newLead('u-agent', `many${i + j}.${stamp}@example.jp`)))));
    const gone = `many.gone.${stamp}@example.jp`;
    const unsubscribedLead = await newLead('u-agent', gone);
    const token = signUnsubscribeToken(await cloud.deps.cadence!.unsubscribeKey(), { c: c.id, r: unsubscribedLead, e: 'E', a: gone }, cloud.now());
    const form = { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expect((await cloud.call(null, 'POST', `/v1/public/unsubscribe?token=${token}`, form)).status).toBe(200);

    const erased = await newLead('u-agent', `many.erased.${stamp}@example.jp`);
    expect((await cloud.call('u-admin', 'POST', `/v1/records/Leads/${erased}/erase`, { body: { reason: 'Asked to be forgotten' } })).status).toBe(200);
    const refused = await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [leads[0], erased] } });
    expect(refused.status).toBe(409);
    expect((await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${leads[0]}`)).status).toBe(404);

    const res = await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [...leads, unsubscribedLead] } });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([...leads.map((recordId) => ({ recordId, outcome: 'enrolled' })), { recordId: unsubscribedLead, outcome: 'unsubscribed' }]);
    const report = await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/report`);
    expect(report.body.enrollments).toMatchObject({ total: 40, active: expect.any(Number) });
    expect(report.body.enrollments.active + report.body.enrollments.completed).toBe(40);
    const last = await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${leads[39]}`);
    expect(last.body).toMatchObject({ recordId: leads[39], trigger: 'manual' });
    expect((await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${unsubscribedLead}`)).status).toBe(404);
    const again = await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: leads.slice(0, 2) } });
    expect(again.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['alreadyEnrolled', 'alreadyEnrolled']);
  });

  it('deactivating pauses every enrollment and nothing is sent; reactivating resumes them', { timeout: 150_000 }, async () => {
    const c = await createCadence(twoStep(`Pause ${Date.now()}`));
    await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/activate`);
    const email = `pause.${Date.now()}@example.jp`;
    const lead = await newLead('u-agent', email);
    await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [lead] } });
    // The stream may still carry the 40 leads of the test before (their journeys and the demo cadence):
    // this lead's events queue behind them, so on a loaded machine its first email can take a while.
    await waitFor(async () => (await mailTo(email)).some((m) => m.subject === 'Hello Aoi'), 'the first email', 60_000);
    const off = await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/deactivate`);
    expect(off.body.active).toBe(false);
    expect((await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${lead}`)).body.status).toBe('paused');
    const resumeAfter = cloud.now().getTime() + 4 * 86_400_000;
    await waitFor(() => cloud.now().getTime() > resumeAfter, '4 simulated days', 15_000);
    expect((await mine(email)).map((m) => m.subject)).toEqual(['Hello Aoi']);
    await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/activate`);
    await waitFor(async () => (await mine(email)).length === 2, 'the resumed email', 15_000);
    expect((await mine(email)).map((m) => m.subject)).toEqual(['Hello Aoi', 'Later Aoi']);
    await waitFor(async () => (await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${lead}`)).body.status === 'completed', 'completion');
  });
});

describe('call and task steps', () => {
  it("a call step creates one task for the record's owner (action library), shown in their tasks", async () => {
    const c = await createCadence({
      name: `Call ${Date.now()}`,
      module: 'Leads',
      sender: { name: 'Keiro' },
      steps: [
        { id: 'call', type: 'call', subject: 'Call {{firstName}} {{lastName}}', dueInDays: 1 },
        { id: 'prep', type: 'task', parent: 'call', subject: 'Prepare an offer for {{firstName}}', assignee: { kind: 'manager' } },
      ],
    });
    await cloud.call('u-admin', 'POST', `/v1/cadences/${c.id}/activate`);
    const lead = await newLead('u-agent', `call.${Date.now()}@example.jp`, 'Sora');
    await cloud.call('u-agent', 'POST', `/v1/cadences/${c.id}/enrollments`, { body: { recordIds: [lead] } });
    const done = await waitFor(async () => {
      const e = (await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/enrollments/${lead}`)).body;
      return e.status === 'completed' && e;
    }, 'the enrollment to complete');
    expect(done.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status])).toEqual([['call', 'created'], ['prep', 'created']]);
    const tasks = await cloud.call('u-agent', 'GET', `/v1/records/Tasks?filter[relatedId]=${lead}`);
    // The cadence's tasks (the demo journey also gives the owner a task for every new lead).
    const mine = (tasks.body.items as Array<{ fields: Record<string, string> }>).filter((t) => t.fields.subject === 'Call Sora Mori' || t.fields.subject === 'Prepare an offer for Sora');
    expect(mine.map((t) => [t.fields.assigneeId, t.fields.subject]).sort()).toEqual([
      ['u-agent', 'Call Sora Mori'],
      ['u-manager', 'Prepare an offer for Sora'],
    ]);
    const report = await cloud.call('u-agent', 'GET', `/v1/cadences/${c.id}/report`);
    expect(report.body.steps.map((s: { tasksCreated: number }) => s.tasksCreated)).toEqual([1, 1]);
  });
});

describe('unsubscribe tokens', () => {
  it('an expired or foreign-key token is a 400; a good one unsubscribes once (repeatable)', async () => {
    const key = await cloud.deps.cadence!.unsubscribeKey();
    const payload = { c: 'C', r: 'R', e: 'E', a: `tok.${Date.now()}@example.jp` };
    const expired = signUnsubscribeToken(key, payload, new Date(cloud.now().getTime() - 100 * 86_400_000));
    const res = await cloud.call(null, 'POST', `/v1/public/unsubscribe?token=${expired}`, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'token', message: 'The link has expired' }]);
    const foreign = signUnsubscribeToken(Buffer.alloc(32, 7), payload, cloud.now());
    expect((await cloud.call(null, 'GET', `/v1/public/unsubscribe?token=${foreign}`)).status).toBe(400);
    expect((await cloud.call(null, 'GET', '/v1/public/unsubscribe?token=garbage')).status).toBe(400);
    const good = signUnsubscribeToken(key, payload, cloud.now());
    const wrongBody = await cloud.call(null, 'POST', `/v1/public/unsubscribe?token=${good}`, { rawBody: 'List-Unsubscribe=Nope', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongBody.status).toBe(400);
    const json = await cloud.call(null, 'POST', `/v1/public/unsubscribe?token=${good}`, { body: { x: 1 } });
    expect(json.status).toBe(415);
    for (let i = 0; i < 2; i++) {
      const ok = await cloud.call(null, 'POST', `/v1/public/unsubscribe?token=${good}`, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(ok.body).toEqual({ unsubscribed: true, address: payload.a });
    }
  });
});
