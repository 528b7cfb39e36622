import { describe, expect, it } from 'vitest';
import { mailTo, useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';
import { itemsHolding, phoneForms } from '../../support/table-scan.js';

// The right to be forgotten on the local cloud: a lead in an active cadence is erased by an org admin;
// nothing more is sent to it, its delivered mail stays in the mailbox, and no item of the table still
// holds its name, email or phone in any form.
const SCALE = 86_400; // a simulated day per second
const cloud = useCadenceCloud(SCALE);

const tag = Math.random().toString(36).slice(2, 8);
const person = { firstName: 'Erasmina', lastName: `Vergessen${tag}`, email: `erasmina.${tag}@Example.JP`, phone: `090-${tag.length}${String(Date.now()).slice(-3)}-${String(Date.now()).slice(-4)}` };

/** The erased values in every form a copy could take. */
const needles = () => [person.firstName, person.lastName, person.email, ...phoneForms(person.phone)];

describe('erasing a record (POST /v1/records/{module}/{id}/erase)', () => {
  it('an erased lead in an active cadence gets nothing more, and no item holds its personal values', async () => {
    const cadence = await cloud.call('u-admin', 'POST', '/v1/cadences', {
      body: {
        name: `Erasure ${tag}`,
        module: 'Leads',
        sender: { name: 'Keiro Travel' },
        steps: [
          { id: 'hello', type: 'email', subject: 'Hello {{firstName}}', text: 'Hi {{firstName}} {{lastName}}, we call {{phone}}' },
          { id: 'later', type: 'email', parent: 'hello', timing: { amount: 2, unit: 'days' }, subject: 'Later {{firstName}}', text: 'Again' },
        ],
      },
    });
    expect(cadence.status).toBe(201);
    await cloud.call('u-admin', 'POST', `/v1/cadences/${cadence.body.id}/activate`);
    // Created with an Idempotency-Key: the stored response (24 h, for replays) echoes the lead's values.
    const created = await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { ...person, description: undefined } }, headers: { 'idempotency-key': `create-${tag}` } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await cloud.call('u-agent', 'PATCH', `/v1/records/Leads/${id}`, { body: { fields: { destinationWish: `Okinawa with ${person.firstName}` } } });
    await cloud.call('u-agent', 'POST', `/v1/cadences/${cadence.body.id}/enrollments`, { body: { recordIds: [id] } });
    await waitFor(async () => (await mailTo(person.email)).some((m) => m.subject === `Hello ${person.firstName}`), 'the first email');

    // Who may: a member sees the record but is refused (403); a requester does not see it (404); unknown ids are 404; bad bodies 400.
    expect((await cloud.call('u-agent', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason: 'asked' } })).status).toBe(403);
    expect((await cloud.call('u-requester', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason: 'asked' } })).status).toBe(404);
    expect((await cloud.call('u-admin', 'POST', '/v1/records/Leads/NOPE/erase', { body: { reason: 'asked' } })).status).toBe(404);
    const bad = await cloud.call('u-admin', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason: '', extra: 1 } });
    expect(bad.status).toBe(400);
    expect((await cloud.call('u-agent', 'GET', `/v1/records/Leads/${id}`)).body.erasure).toBeUndefined();

    const reason = 'Data subject request #42 (APPI Art. 35)';
    // Right after the first email the wake may still be recording its send: the erasure waits for it (409,
    // the record already marked so nothing new is claimed) and the same command finishes it.
    const erase = () => cloud.call('u-admin', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason }, headers: { 'idempotency-key': `erase-${tag}` } });
    const erased = await waitFor(async () => {
      const res = await erase();
      expect([200, 409]).toContain(res.status);
      return res.status === 200 ? res : undefined;
    }, 'the erasure to finish');
    expect(erased.body.erasure).toMatchObject({ status: 'done', requestedBy: 'u-admin', reason, fields: ['firstName', 'lastName', 'email', 'phone'] });
    expect(erased.body.fields).not.toHaveProperty('email');
    expect(erased.body.fields.destinationWish).toBe('Okinawa with [erased]');

    // Twice (with or without the key): the same result, nothing more happens.
    const replay = await erase();
    expect(replay.body).toEqual(erased.body);
    const again = await cloud.call('u-admin', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason: 'again' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(erased.body);

    // No write brings a value back; no enrollment takes it again.
    const patch = await cloud.call('u-admin', 'PATCH', `/v1/records/Leads/${id}`, { body: { fields: { email: person.email } } });
    expect(patch.status).toBe(409);
    const reenroll = await cloud.call('u-admin', 'POST', `/v1/cadences/${cadence.body.id}/enrollments`, { body: { recordIds: [id] } });
    expect(reenroll.status).toBeLessThan(500);

    // History keeps who, when and why; the old values read "[erased]".
    const history = await cloud.call('u-admin', 'GET', `/v1/records/Leads/${id}/history?limit=100`);
    const erasure = history.body.items.find((h: { event: string }) => h.event === 'record.erased');
    expect(erasure).toMatchObject({ actor: 'u-admin', reason, changes: [] });
    const created0 = history.body.items.find((h: { event: string }) => h.event === 'record.created');
    expect(created0.changes).toEqual(expect.arrayContaining([{ field: 'email', old: null, new: '[erased]' }]));

    // Three simulated days later: the cadence's second step never went out; delivered mail stays in the mailbox.
    const enrollment = await waitFor(async () => {
      const e = await cloud.call('u-admin', 'GET', `/v1/cadences/${cadence.body.id}/enrollments/${id}`);
      return e.body.status !== 'active' ? e.body : undefined;
    }, 'the enrollment to end');
    expect(enrollment).toMatchObject({ status: 'unenrolled' });
    await new Promise((r) => setTimeout(r, 4_000));
    const mail = await mailTo(person.email);
    expect(mail.map((m) => m.subject)).toContain(`Hello ${person.firstName}`);
    expect(mail.map((m) => m.subject)).not.toContain(`Later ${person.firstName}`);

    expect(await itemsHolding(cloud.deps, needles())).toEqual([]);
  }, 120_000);

  it('PATCHes racing the erasure either land before it (and are erased) or are refused (409): no value comes back', async () => {
    const t = Math.random().toString(36).slice(2, 8);
    const created = await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Racy', lastName: `Racer${t}` } } });
    const id = created.body.id as string;
    const patches = Array.from({ length: 6 }, (_, i) => ({ email: `racer${i}.${t}@example.jp`, firstName: `Racy${i}x${t}` }));
    const results = await Promise.all([
      ...patches.map((fields) => cloud.call('u-agent', 'PATCH', `/v1/records/Leads/${id}`, { body: { fields } })),
      cloud.call('u-admin', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason: 'race' } }),
    ]);
    for (const res of results) expect([200, 409]).toContain(res.status);
    const erased = await waitFor(async () => {
      const res = await cloud.call('u-admin', 'POST', `/v1/records/Leads/${id}/erase`, { body: { reason: 'race' } });
      return res.status === 200 ? res.body : undefined;
    }, 'the erasure to finish');
    expect(erased.fields).not.toHaveProperty('email');
    expect(erased.fields).not.toHaveProperty('firstName');
    expect(await itemsHolding(cloud.deps, [`racer${t}`, ...patches.flatMap((p) => [p.email, p.firstName])])).toEqual([]);
  }, 120_000);
});
