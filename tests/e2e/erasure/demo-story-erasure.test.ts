import { describe, expect, it } from 'vitest';
import { newCustomer, runStory } from '../../../infra/local/demo/story.js';
import { spoken } from '../../../infra/local/demo/steps-service.js';
import { readSentMail } from '../../../infra/local/ses-local.js';
import { useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';
import { sesEndpoint } from '../../support/local-cloud.js';
import { itemsHolding, phoneForms } from '../../support/table-scan.js';

// The right to be forgotten after the whole demo story (`npm run demo`): the customer went through the
// wizard, the cadence, the journey, the blueprint, the discount, the kiosk, Operations and the trip; an
// org admin erases its lead and its contact, and then no item of Keiro's table holds its names, email or
// phone, in any attribute, any casing, or inside a nested JSON string. Mail already delivered stays.
const SCALE = 28_800;
const cloud = useCadenceCloud(SCALE);

describe('erasing a customer who went through the whole story', () => {
  it('leaves no item of the table quoting the lead or the contact', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const customer = newCustomer(tag, { firstName: 'Erasmina', lastName: `Vergessen${tag}` });
    const { ids } = await runStory({ baseUrl: cloud.baseUrl(), sesEndpoint: sesEndpoint(), tokenFor: cloud.tokenFor, timeScale: SCALE }, { customer });
    const values = [customer.firstName, customer.lastName, customer.email, ...phoneForms(customer.phone)];
    expect((await itemsHolding(cloud.deps, values)).length).toBeGreaterThan(0);

    // A send of the journey or cadence may still be settling: the erasure then answers 409 and the same command finishes it.
    const erase = (module: string, id: string) =>
      waitFor(async () => {
        const res = await cloud.call('u-admin', 'POST', `/v1/records/${module}/${id}/erase`, { body: { reason: `Data subject request ${tag}` } });
        expect([200, 409]).toContain(res.status);
        return res.status === 200 ? res.body : undefined;
      }, `the erasure of ${module} ${id}`);
    expect((await erase('Leads', ids.leadId as string)).erasure).toMatchObject({ status: 'done' });
    expect((await erase('Contacts', ids.contactId as string)).erasure).toMatchObject({ status: 'done' });

    expect(await itemsHolding(cloud.deps, values)).toEqual([]);
    const again = await cloud.call('u-admin', 'POST', `/v1/records/Contacts/${ids.contactId}/erase`, { body: { reason: 'twice' } });
    expect(again.status).toBe(200);
    expect(again.body.erasure).toMatchObject({ status: 'done', reason: `Data subject request ${tag}` });

    // What comes after quotes nothing erased: the records have no values left to copy.
    // The kiosk, given the customer's phone, finds nobody (the lookup items went with the values).
    const run = await cloud.call('u-agent', 'POST', `/v1/kiosks/${ids.kioskId}/runs`, { body: {} });
    expect(run.status).toBe(201);
    const byPhone = await cloud.call('u-agent', 'POST', `/v1/kiosk-runs/${run.body.runId}/submit`, { body: { screenId: 'customer-phone', values: { phone: spoken(customer.phone) } } });
    expect(byPhone.status).toBe(200);
    expect(JSON.stringify(byPhone.body)).not.toContain(ids.applicationId);
    // A task about the application, written from what the application now says, and the request reopened (its requester is notified).
    const application = await cloud.call('u-agent', 'GET', `/v1/records/TravelApplications/${ids.applicationId}`);
    expect(application.body.fields.name).toBe('[erased] [erased]');
    const task = await cloud.call('u-agent', 'POST', '/v1/records/Tasks', {
      body: { fields: { subject: `Call ${application.body.fields.name} about the trip`, assigneeId: 'u-agent', relatedModule: 'TravelApplications', relatedId: ids.applicationId } },
      headers: { 'idempotency-key': `after-${tag}` },
    });
    expect(task.status).toBe(201);
    const reopened = await cloud.call('u-ops', 'PATCH', `/v1/requests/${ids.requestId}`, { body: { status: 'In Progress', comment: 'One more night' } });
    expect(reopened.status).toBe(200);
    const told = await waitFor(async () => {
      const list = await cloud.call('u-requester', 'GET', '/v1/notifications?limit=50');
      return list.body.items.find((n: { title: string; body: string }) => n.title.endsWith('is now In Progress') && n.body.includes('One more night'));
    }, "the requester's notification of the reopened request");
    expect(told.title).toBe('Your request "Flights and hotel for [erased] [erased]" is now In Progress');
    expect(await itemsHolding(cloud.deps, values)).toEqual([]);

    // The customer's mailbox is theirs: what was delivered stays delivered.
    expect((await readSentMail(sesEndpoint())).filter((m) => m.destination.to.includes(customer.email)).length).toBeGreaterThanOrEqual(6);
  }, 240_000);
});
