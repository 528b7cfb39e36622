import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { mailMarkerKeys } from '../../../shared/db/keys.js';
import { SEND_LEASE_MS, UnconfirmedSend, sendEmailOnce } from '../../../shared/db/mail-once.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { createTestDeps, sesEndpoint } from '../../support/local-cloud.js';

let deps: AppDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});

const sentWithSubject = async (subject: string) => (await readSentMail(sesEndpoint())).filter((m) => m.subject === subject).length;

/** What a delivery that crashed between claiming and calling SES leaves behind. */
const abandonedClaim = async (eventId: string, to: string, claimedAt: Date) =>
  deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...mailMarkerKeys.key(eventId, to), entity: 'MailMarker', status: 'SENDING', claimedAt: claimedAt.toISOString() } }));

describe('email at most once per (event, recipient), never dropped silently', () => {
  it('sends once, and a redelivery sends nothing', async () => {
    const mail = { eventId: deps.newId(), to: 'once@keiro.example', subject: `once ${deps.newId()}`, text: 'hello' };
    expect(await sendEmailOnce(deps, mail)).toBe('sent');
    expect(await sendEmailOnce(deps, mail)).toBe('already-sent');
    expect(await sentWithSubject(mail.subject)).toBe(1);
  });

  it('an unconfirmed earlier claim fails the delivery (so it is retried, then dead-lettered) instead of dropping or doubling the email', async () => {
    const mail = { eventId: deps.newId(), to: 'crash@keiro.example', subject: `crash ${deps.newId()}`, text: 'hello' };
    await abandonedClaim(mail.eventId, mail.to, new Date(Date.now() - SEND_LEASE_MS - 1_000));
    await expect(sendEmailOnce(deps, mail)).rejects.toThrow(UnconfirmedSend);
    expect(await sentWithSubject(mail.subject)).toBe(0);
  });

  it("an operator's replay sends an abandoned email exactly once", async () => {
    const mail = { eventId: deps.newId(), to: 'replay@keiro.example', subject: `replay ${deps.newId()}`, text: 'hello' };
    await abandonedClaim(mail.eventId, mail.to, new Date(Date.now() - SEND_LEASE_MS - 1_000));
    expect(await sendEmailOnce(deps, { ...mail, resendUnconfirmed: true })).toBe('sent');
    expect(await sendEmailOnce(deps, { ...mail, resendUnconfirmed: true })).toBe('already-sent');
    expect(await sentWithSubject(mail.subject)).toBe(1);
    const marker = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: mailMarkerKeys.key(mail.eventId, mail.to) }));
    expect(marker.Item?.status).toBe('SENT');
  });

  it('a replay does not take over a claim that may still be sending', async () => {
    const mail = { eventId: deps.newId(), to: 'busy@keiro.example', subject: `busy ${deps.newId()}`, text: 'hello', resendUnconfirmed: true };
    await abandonedClaim(mail.eventId, mail.to, new Date());
    await expect(sendEmailOnce(deps, mail)).rejects.toThrow(UnconfirmedSend);
    expect(await sentWithSubject(mail.subject)).toBe(0);
  });
});
