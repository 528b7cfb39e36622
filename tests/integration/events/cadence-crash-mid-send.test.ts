import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wakeEnrollment } from '../../../functions/cadences/run-enrollment.js';
import { SEND_CLAIM_LEASE_MS } from '../../../functions/cadences/send-step.js';
import { getEnrollment, type EnrollmentItem } from '../../../shared/db/enrollments-repo.js';
import { cadenceMailKeys } from '../../../shared/db/keys.js';
import { CADENCE_TIMER_KIND, cadenceTimerKey } from '../../../functions/cadences/replan.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { sesEndpoint } from '../../support/local-cloud.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

// A sender that dies between claiming a cadence email and SES's answer leaves the claim SENDING.
// Whether SES got the mail is unknown, so it is never resent: the step is recorded failed
// ("unconfirmed") once the claim is known abandoned. The wake that finds such a claim must not spin
// until its retries run out (the timer would fail and the enrollment wait forever): within the claim's
// lease it checks again after the lease; and the local cloud, which knows every sender of an earlier
// process is dead, does not wait for the lease at all.

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const enrollOne = async (tag: string): Promise<{ enrollment: EnrollmentItem; email: string }> => {
  const steps = [{ id: 'only', type: 'email', timing: { after: 'enrollment', amount: 0, unit: 'minutes' }, subject: `Crash ${tag} for {{firstName}}`, text: 'Hello {{firstName}}.' }];
  const cadence = await api.call<{ id: string }>('u-admin', 'POST', '/v1/cadences', { body: { name: `Crash mid-send ${tag}`, module: 'Leads', sender: { name: 'Keiro' }, steps } });
  expect(cadence.status).toBe(201);
  expect((await api.call('u-admin', 'POST', `/v1/cadences/${cadence.body.id}/activate`)).status).toBe(200);
  const email = `crash.${tag}.${Date.now()}@example.jp`;
  const lead = await api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Mio', lastName: 'Sato', email } } });
  const enrolled = await api.call<{ items: Array<{ outcome: string }> }>('u-agent', 'POST', `/v1/cadences/${cadence.body.id}/enrollments`, { body: { recordIds: [lead.body.id] } });
  expect(enrolled.body.items[0]?.outcome).toBe('enrolled');
  return { enrollment: (await getEnrollment(api.deps, cadence.body.id, lead.body.id)) as EnrollmentItem, email };
};

/** The claim a sender left when it died after claiming, before SES answered. */
const abandonClaim = (e: EnrollmentItem, email: string, claimedAtMs: number) =>
  api.deps.db.send(
    new PutCommand({
      TableName: api.deps.tableName,
      Item: { ...cadenceMailKeys.send(e.enrollmentId, 'only'), entity: 'CadenceSend', status: 'SENDING', claimedAt: new Date(claimedAtMs).toISOString(), claimedAtMs, attempts: 1, replyToken: 'crashed', to: email },
    }),
  );

const timerOf = (e: EnrollmentItem) => ({ kind: CADENCE_TIMER_KIND, key: cadenceTimerKey(e.cadenceId, e.recordId), wakeAt: e.wakeAt ?? new Date().toISOString(), token: e.planToken as string });

describe('a cadence sender that died mid-send', () => {
  it('within the lease (AWS: another sender may still be at it), the wake checks again after the lease instead of failing', async () => {
    const ports = api.deps.cadence as NonNullable<typeof api.deps.cadence>;
    const { sendersStartedAt: _local, ...aws } = ports;
    api.deps.cadence = aws;
    try {
      const { enrollment, email } = await enrollOne('lease');
      const claimedAtMs = Date.now();
      await abandonClaim(enrollment, email, claimedAtMs);
      await wakeEnrollment(api.deps, timerOf(enrollment));
      const after = (await getEnrollment(api.deps, enrollment.cadenceId, enrollment.recordId)) as EnrollmentItem;
      expect(after.status).toBe('active');
      expect(after.steps.only).toBeUndefined();
      expect(after.planToken).not.toBe(enrollment.planToken);
      expect(Date.parse(after.wakeAt as string)).toBeGreaterThanOrEqual(Date.parse(enrollment.updatedAt) + SEND_CLAIM_LEASE_MS);
      expect((await readSentMail(sesEndpoint())).filter((m) => m.destination.to.includes(email))).toEqual([]);
    } finally {
      api.deps.cadence = ports;
    }
  });

  it('in the local cloud, a claim made before this process started is abandoned at once: the step fails as unconfirmed, nothing is resent', async () => {
    const { enrollment, email } = await enrollOne('local');
    const startedAt = api.deps.cadence?.sendersStartedAt as number;
    expect(startedAt).toBeTypeOf('number');
    await abandonClaim(enrollment, email, startedAt - 1);
    await wakeEnrollment(api.deps, timerOf(enrollment));
    const after = (await getEnrollment(api.deps, enrollment.cadenceId, enrollment.recordId)) as EnrollmentItem;
    expect(after.steps.only).toMatchObject({ status: 'failed', reason: expect.stringContaining('not resent') });
    expect(after.status).toBe('completed');
    expect((await readSentMail(sesEndpoint())).filter((m) => m.destination.to.includes(email))).toEqual([]);
  });
});
