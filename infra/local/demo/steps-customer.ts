import type { Step } from './step.js';

const DAY_MS = 86_400_000;

interface Screened {
  sessionId: string;
  status: string;
  screen: { id: string; title: string } | null;
}

/**
 * Step 1: the agent enters the lead through the wizard "New lead" (contact details → travel wishes,
 * kept once as a draft → consent); the journey starts and gives the owner a task.
 */
export const enterLead = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const wizardId = s.need('wizardId');
  const session = await api.expect<Screened>(201, 'u-agent', 'POST', `/v1/wizards/${wizardId}/sessions`);
  const screen = async (id: string, values: Record<string, unknown>) => {
    const next = await api.expect<Screened>(200, 'u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/screens/${id}`, { values });
    return next.screen?.title ?? 'the end';
  };
  const titles = [session.screen?.title ?? '?'];
  titles.push(await screen('contact-details', { firstName: c.firstName, lastName: c.lastName, email: c.email, phone: c.phone }));
  const draft = await api.expect<Screened>(200, 'u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/save-draft`, { values: { destinationWish: c.destination } });
  if (draft.status !== 'draft') api.fail(`save-draft left the session ${draft.status}, not draft`);
  titles.push(await screen('travel-wishes', { destinationWish: c.destination, travelPeriod: 'Golden Week', travellers: 2 }));
  await screen('consent', { emailConsent: true });
  const lead = await api.expect<{ id: string; fields: { leadStatus?: string } }>(201, 'u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/finish`);
  s.ids.leadId = lead.id;
  s.said(`u-agent entered a lead through the wizard "New lead": ${titles.join(' → ')} (kept as a draft once on the way); lead ${lead.id} was created with status ${lead.fields.leadStatus ?? '(none)'}`);
  await s.journeyIn('lead');
  s.said('The lead entered the journey "Travel customer journey"');
  await s.task('u-agent', 'Contact the new lead', lead.id);
};

/**
 * Step 2: the cadence "Travel inquiry follow-up" sends the thank-you; the lead opens it (an SES open
 * event through the local-only route), the survey follows; no reply within 2 days brings the follow-up.
 */
export const followUpByCadence = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const leadId = s.need('leadId');
  const enrollmentPath = `/v1/cadences/${s.need('cadenceId')}/enrollments/${leadId}`;
  const enrollment = async () => api.expect<{ status: string; steps: Array<{ stepId: string; status: string }>; endedReason?: string }>(200, 'u-agent', 'GET', enrollmentPath);
  const thanks = await s.email(c.email, `Thank you for your travel inquiry, ${c.firstName}`);
  s.said('The cadence "Travel inquiry follow-up" enrolled the lead and sent the thank-you email at once');
  await api.expect(202, 'u-admin', 'POST', '/v1/dev/ses-events', { messageId: thanks.messageId, eventType: 'Open' });
  s.said('The lead opened it (SES reports the open; locally: POST /v1/dev/ses-events)');
  await s.email(c.email, `Where would you like to go, ${c.firstName}?`);
  s.said('Because it was opened, the survey about destination wishes followed');
  await s.email(c.email, `Still dreaming of a trip, ${c.firstName}?`, api.afterSimulated(2 * DAY_MS));
  s.said('The survey got no reply within 2 days (of the cloud’s time): the follow-up email went out');
  const e = await enrollment();
  if (e.status !== 'active') api.fail(`the enrollment is ${e.status}, expected active`);
  s.said(`Enrollment: ${e.status}; steps ${e.steps.map((st) => `${st.stepId} ${st.status}`).join(', ')}`);
  await s.journeyIn('lead');
};

interface JourneyRecord {
  id: string;
  ownerId: string;
  fields: Record<string, unknown>;
}

/**
 * Step 3: the lead qualifies; the journey converts it (contact) and creates the travel application, and
 * the lead leaves the cadence. An urgent case of the customer is escalated (the manager takes it, the
 * customer is told); closing it brings the customer back.
 */
export const qualifyAndConvert = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const leadId = s.need('leadId');
  await api.expect(200, 'u-agent', 'PATCH', `/v1/records/Leads/${leadId}`, { fields: { leadStatus: 'Qualified' } });
  s.said('u-agent set the lead’s status to Qualified (the destination is confirmed)');
  const customer = await s.journeyIn('customer');
  const journey = await api.expect<{ definition: { states: Array<{ id: string; name: string }> } }>(200, 'u-agent', 'GET', `/v1/journeys/${s.need('journeyId')}`);
  const stateName = (id: string) => journey.definition.states.find((st) => st.id === id)?.name ?? id;
  s.said(`The journey moved it ${customer.history.map((h) => stateName(h.state)).join(' → ')} (${customer.history.slice(1).map((h) => h.reason).join('; ')})`);
  const contacts = await api.expect<{ items: JourneyRecord[] }>(200, 'u-agent', 'GET', `/v1/records/Contacts/lookup?field=email&value=${encodeURIComponent(c.email)}`);
  const contact = contacts.items[0] ?? api.fail('no contact has the lead’s email after the conversion');
  s.ids.contactId = contact.id;
  const lead = await api.expect<JourneyRecord>(200, 'u-agent', 'GET', `/v1/records/Leads/${leadId}`);
  if (lead.fields.converted !== true) api.fail('the lead is not marked converted');
  s.said(`The lead was converted to the contact ${contact.id}`);
  const [application] = await api.until('the travel application for the contact', async () => {
    const related = await api.expect<{ items: JourneyRecord[] }>(200, 'u-agent', 'GET', `/v1/records/Contacts/${contact.id}/related/TravelApplications`);
    return related.items.length > 0 && related.items;
  });
  if (!application) return api.fail('no travel application');
  s.ids.applicationId = application.id;
  s.ids.applicationName = String(application.fields.name);
  s.said(`The journey created the travel application "${s.ids.applicationName}" (${application.id}) for the contact, owned by ${application.ownerId}, in stage ${String(application.fields.stage)}`);
  await s.task('u-agent', 'Start the travel application', contact.id);
  const ended = await api.until('the lead to leave the cadence', async () => {
    const e = await api.expect<{ status: string; endedReason?: string }>(200, 'u-agent', 'GET', `/v1/cadences/${s.need('cadenceId')}/enrollments/${leadId}`);
    return e.status === 'unenrolled' && e;
  });
  s.said(`The lead left the cadence (${ended.endedReason ?? 'ended'}: lead status Qualified)`);

  const kase = await api.expect<JourneyRecord>(201, 'u-agent', 'POST', '/v1/records/Cases', { fields: { subject: 'Passport expires before departure', contactId: contact.id, priority: 'High', status: 'Open' } });
  s.ids.caseId = kase.id;
  s.said('The customer called with an urgent problem: u-agent logged a High priority case');
  await s.journeyIn('escalated');
  await s.email(c.email, 'We are escalating your inquiry');
  const escalated = await api.until('the case to be escalated', async () => {
    const got = await api.expect<JourneyRecord>(200, 'u-agent', 'GET', `/v1/records/Cases/${kase.id}`);
    return got.fields.status === 'Escalated' && got;
  });
  s.said(`The journey escalated it: the case now belongs to ${escalated.ownerId} with status Escalated, and the customer was told`);
  await api.expect(200, escalated.ownerId, 'PATCH', `/v1/records/Cases/${kase.id}`, { fields: { status: 'Closed' } });
  s.said(`${escalated.ownerId} solved it and closed the case`);
  await s.journeyIn('customer');
};
