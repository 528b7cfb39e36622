import { describe, expect, it } from 'vitest';
import { useCadenceCloud } from '../../support/cadence-cloud.js';
import { waitFor } from '../../support/events.js';

// A journey's cadence steps over HTTP on the whole local cloud: entering a state enrolls the customer
// in a cadence (through the cadences' own enrollment, so its report counts it), entering another takes
// it out; a step naming a cadence that does not exist is refused at save.

const cloud = useCadenceCloud(3_600);

const nurture = (name: string) => ({
  name,
  module: 'Leads',
  sender: { name: 'Keiro Travel' },
  steps: [{ id: 'hello', type: 'email', subject: 'Nurture {{firstName}}', text: 'Hi {{firstName}}' }, { id: 'later', type: 'email', parent: 'hello', timing: { amount: 30, unit: 'days' }, subject: 'Nurture again', text: 'Again' }],
});

const journey = (name: string, cadence: string) => ({
  name,
  modules: ['Leads'],
  initial: 'contacted',
  states: [
    { id: 'contacted', name: 'Contacted', onEnter: [{ type: 'enrollInCadence', cadence }] },
    { id: 'cold', name: 'Cold', onEnter: [{ type: 'unenrollFromCadence', cadence }] },
  ],
  transitions: [{ id: 'cool', from: ['contacted'], to: 'cold', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Unqualified' } }],
});

describe('journey steps that enroll in and unenroll from a cadence', () => {
  it('a step naming no cadence is a 400 at its path, and nothing is saved', async () => {
    const before = (await cloud.call('u-admin', 'GET', '/v1/journeys?limit=200')).body.items.length;
    const res = await cloud.call('u-admin', 'POST', '/v1/journeys', { body: journey('No such cadence', 'Travel inquiry follow-up') });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'states.0.onEnter.0.cadence', message: 'No cadence Travel inquiry follow-up' },
      { path: 'states.1.onEnter.0.cadence', message: 'No cadence Travel inquiry follow-up' },
    ]);
    expect((await cloud.call('u-admin', 'GET', '/v1/journeys?limit=200')).body.items.length).toBe(before);
  });

  it('entering a state enrolls the lead; entering the next takes it out; the cadence report counts both', { timeout: 60_000 }, async () => {
    const cadence = (await cloud.call('u-admin', 'POST', '/v1/cadences', { body: nurture(`Nurture ${Date.now()}`) })).body;
    expect((await cloud.call('u-admin', 'POST', `/v1/cadences/${cadence.id}/activate`)).status).toBe(200);
    const saved = await cloud.call('u-admin', 'POST', '/v1/journeys', { body: journey(`Nurture journey ${Date.now()}`, cadence.id) });
    expect(saved.status).toBe(201);
    expect((await cloud.call('u-admin', 'POST', `/v1/journeys/${saved.body.id}/activate`)).status).toBe(200);

    const lead = (await cloud.call('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: 'Riku', lastName: 'Sato', email: 'riku.sato@example.jp' } } })).body;
    const enrollment = `/v1/cadences/${cadence.id}/enrollments/${lead.id}`;
    const enrolled = await waitFor(async () => {
      const res = await cloud.call('u-agent', 'GET', enrollment);
      return res.status === 200 && res.body.status === 'active' ? res.body : undefined;
    }, 'the journey to enroll the lead');
    expect(enrolled.trigger).toBe('manual');

    expect((await cloud.call('u-agent', 'PATCH', `/v1/records/Leads/${lead.id}`, { body: { fields: { leadStatus: 'Unqualified' } } })).status).toBe(200);
    const ended = await waitFor(async () => {
      const res = await cloud.call('u-agent', 'GET', enrollment);
      return res.body.status === 'unenrolled' ? res.body : undefined;
    }, 'the journey to take the lead out');
    expect(ended.endedReason).toBe('manual');

    const history = (await cloud.call('u-agent', 'GET', `/v1/records/Leads/${lead.id}/history?limit=200`)).body.items as any[];
    const byJourney = history.filter((e) => e.automation?.id === saved.body.id && e.event.startsWith('cadence.'));
    expect(byJourney.map((e) => [e.event, e.via]).sort()).toEqual([['cadence.enrolled', 'journey'], ['cadence.unenrolled', 'journey']]);
    const report = (await cloud.call('u-agent', 'GET', `/v1/cadences/${cadence.id}/report`)).body;
    expect(report).toMatchObject({ enrollments: { total: 1, active: 0, unenrolled: 1 }, unenrollReasons: { manual: 1 } });
  });
});
