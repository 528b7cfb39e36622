import { describe, expect, it } from 'vitest';
import { DEMO_CADENCE_ID } from '../../../infra/local/seed-cadences.js';
import { mailTo, useCadenceCloud, type StoredMessage } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';

// The scenario's cadence over HTTP against the local cloud (API, stream → bus → subscriptions, the
// timer state machine), with a time scale: 2 simulated days pass in 1.25 s.

const SCALE = 138_240;
const C = `/v1/cadences/${DEMO_CADENCE_ID}`;
const cloud = useCadenceCloud(SCALE);

const newLead = async (email: string, extra: Record<string, unknown> = {}) => {
  const res = await cloud.call<{ id: string }>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Mika', lastName: 'Ito', email, leadStatus: 'New', ...extra } } });
  expect(res.status).toBe(201);
  return res.body.id;
};
const enrollmentOf = async (recordId: string) => (await cloud.call('u-agent', 'GET', `${C}/enrollments/${recordId}`)).body;
const mails = (to: string, count: number, what: string) => waitFor(async () => ((await mailTo(to)).length >= count ? mailTo(to) : undefined), what, 20_000);
const injectSes = (messageId: string, eventType: string, extra: Record<string, unknown> = {}) => cloud.call('u-admin', 'POST', '/v1/dev/ses-events', { body: { messageId, eventType, ...extra } });
const headerOf = (mail: StoredMessage, name: string): string | undefined => {
  const h = mail.headers;
  if (Array.isArray(h)) return h.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
  if (h) return Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return undefined;
};

describe('cadence "Travel inquiry follow-up" (the demo)', () => {
  it('creating a lead enrolls it and sends the thank-you; an open brings the survey; no reply in 2 days brings the follow-up; Qualified ends it', async () => {
    const to = `mika.${Date.now()}@example.jp`;
    const lead = await newLead(to);
    const [thanks] = await mails(to, 1, 'the thank-you email');
    expect(thanks?.subject).toBe('Thank you for your travel inquiry, Mika');
    // SES has the mail a moment before the enrollment records the step as sent: wait for the record.
    const recorded = await waitFor(async () => {
      const e = await enrollmentOf(lead);
      return e.steps?.some((step: { stepId: string; status: string }) => step.stepId === 'thank-you' && step.status === 'sent') ? e : undefined;
    }, 'the thank-you recorded as sent');
    expect(recorded).toMatchObject({ recordId: lead, status: 'active', trigger: 'automatic', steps: [{ stepId: 'thank-you', status: 'sent' }] });

    expect((await injectSes(thanks!.messageId, 'Open')).status).toBe(202);
    const afterOpen = await mails(to, 2, 'the survey email');
    expect(afterOpen[1]?.subject).toBe('Where would you like to go, Mika?');

    // No reply for 2 simulated days: the follow-up.
    const afterWait = await mails(to, 3, 'the follow-up email');
    expect(afterWait[2]?.subject).toBe('Still dreaming of a trip, Mika?');

    const current = await cloud.call<{ version: number }>('u-agent', 'GET', `/v1/records/Leads/${lead}`);
    const patched = await cloud.call('u-agent', 'PATCH', `/v1/records/Leads/${lead}`, { body: { fields: { leadStatus: 'Qualified' } }, headers: { 'if-match': `"${current.body.version}"` } });
    expect(patched.status).toBe(200);
    const ended = await waitFor(async () => {
      const e = await enrollmentOf(lead);
      return e.status === 'unenrolled' && e;
    }, 'the enrollment to end');
    expect(ended).toMatchObject({ status: 'unenrolled', endedReason: 'criteria' });
    expect(Date.parse(ended.endedAt)).toBeGreaterThan(0);
    // Well past the call step's time: nothing more is sent, no task is created.
    const later = cloud.now().getTime() + 5 * 86_400_000;
    await waitFor(() => cloud.now().getTime() > later, '5 simulated days');
    expect(await mailTo(to)).toHaveLength(3);
    // No call task from the cadence (the journey "Travel customer journey" gives the owner its own tasks for the lead).
    const tasks = await cloud.call<{ items: Array<{ fields: { subject: string } }> }>('u-agent', 'GET', `/v1/records/Tasks?filter[relatedId]=${lead}`);
    expect(tasks.body.items.filter((t) => t.fields.subject === 'Call Mika Ito about their travel wishes')).toHaveLength(0);
    expect(tasks.body.items.map((t) => t.fields.subject)).toContain('Contact the new lead');

    const report = await cloud.call('u-agent', 'GET', `${C}/report`);
    expect(report.body.unenrollReasons.criteria).toBeGreaterThanOrEqual(1);
    expect(report.body.steps.find((s: { stepId: string }) => s.stepId === 'thank-you')).toMatchObject({ sent: expect.any(Number), opened: expect.any(Number) });
    expect(report.body.steps.find((s: { stepId: string }) => s.stepId === 'thank-you').opened).toBeGreaterThanOrEqual(1);
  });

  it('the email carries working unsubscribe headers and a Reply-To token; the one-click POST unsubscribes and ends the enrollment', async () => {
    const to = `unsub.${Date.now()}@example.jp`;
    const lead = await newLead(to);
    const [thanks] = await mails(to, 1, 'the thank-you email');
    const listUnsubscribe = headerOf(thanks!, 'List-Unsubscribe');
    expect(headerOf(thanks!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const url = /<(http[^>]+)>/.exec(listUnsubscribe ?? '')?.[1];
    expect(listUnsubscribe).toMatch(/<mailto:unsubscribe\+[0-9a-z]{26}@reply\.keiro\.example\?subject=unsubscribe>/);
    expect(url).toContain('/v1/public/unsubscribe?token=');
    const path = url!.slice(cloud.baseUrl().length);

    const page = await cloud.call(null, 'GET', path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await enrollmentOf(lead)).status).toBe('active'); // GET changes nothing (link scanners)

    const token = new URL(url!).searchParams.get('token')!;
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`;
    const bad = await cloud.call(null, 'POST', `/v1/public/unsubscribe?token=${tampered}`, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'token', message: 'The token was altered' }]);

    const ok = await cloud.call(null, 'POST', path, { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ok.status).toBe(200);
    expect(await enrollmentOf(lead)).toMatchObject({ status: 'unenrolled', endedReason: 'unsubscribed' });
    // A manual re-enrollment of an unsubscribed address is refused (reported, not an error).
    const again = await cloud.call('u-agent', 'POST', `${C}/enrollments`, { body: { recordIds: [lead] } });
    expect(again.body.items).toEqual([{ recordId: lead, outcome: 'unsubscribed' }]);
  });

  it('an out-of-office reply is ignored; a real reply ends the enrollment as replied', async () => {
    const to = `reply.${Date.now()}@example.jp`;
    const lead = await newLead(to);
    const [thanks] = await mails(to, 1, 'the thank-you email');
    const replyTo = (thanks!.replyTo as string[] | undefined)?.[0] ?? String(thanks!.replyToAddresses ?? '');
    expect(replyTo).toMatch(/^reply\+[0-9a-z]{26}@reply\.keiro\.example$/);
    const ooo = await cloud.call('u-admin', 'POST', '/v1/dev/inbound-email', { body: { from: to, to: replyTo, subject: 'Out of office: back on Monday', text: 'I am away.', headers: { 'Auto-Submitted': 'auto-replied' } } });
    expect(ooo.body).toEqual({ accepted: true, outcome: 'autoReply' });
    const ooo2 = await cloud.call('u-admin', 'POST', '/v1/dev/inbound-email', { body: { from: to, to: replyTo, subject: '自動返信: 不在のお知らせ', text: '不在です' } });
    expect(ooo2.body.outcome).toBe('autoReply');
    expect((await enrollmentOf(lead)).status).toBe('active');
    const real = await cloud.call('u-admin', 'POST', '/v1/dev/inbound-email', { body: { from: to, to: replyTo, subject: 'Re: Thank you', text: 'We would love to go to Okinawa!' } });
    expect(real.body.outcome).toBe('replied');
    expect(await enrollmentOf(lead)).toMatchObject({ status: 'unenrolled', endedReason: 'replied' });
  });

  it('a bounce ends the enrollment and suppresses the address: a new lead with it is enrolled but never mailed', async () => {
    const to = `bounce.${Date.now()}@example.jp`;
    const lead = await newLead(to);
    const [thanks] = await mails(to, 1, 'the thank-you email');
    expect((await injectSes(thanks!.messageId, 'Bounce')).status).toBe(202);
    expect(await waitFor(async () => (await enrollmentOf(lead)).status === 'unenrolled' && enrollmentOf(lead), 'bounce to end it')).toMatchObject({ endedReason: 'bounced' });
    const second = await newLead(to, { lastName: 'Ito2' });
    const e2 = await waitFor(async () => {
      const e = await enrollmentOf(second);
      return e?.status === 'unenrolled' && e;
    }, 'the second enrollment to end');
    expect(e2.endedReason).toBe('suppressed');
    expect(await mailTo(to)).toHaveLength(1);
  });
});
