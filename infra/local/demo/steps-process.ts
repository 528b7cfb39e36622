import type { Step } from './step.js';

const DAY_MS = 86_400_000;
const MANAGER_EMAIL = 'u-manager@keiro.example';
const AGENT_EMAIL = 'u-agent@keiro.example';

interface Rec {
  id: string;
  ownerId: string;
  fields: Record<string, unknown>;
  lock?: { reason: string; approvalId?: string };
}

/** Performs a blueprint transition on the story's travel application and says what moved. */
const transition = async (s: Step, user: string, id: string, body: Record<string, unknown> = {}): Promise<Rec> => {
  const appId = s.need('applicationId');
  const before = await s.api.expect<Rec>(200, user, 'GET', `/v1/records/TravelApplications/${appId}`);
  const name = (await offered(s, user)).find((t) => t.id === id)?.name ?? id;
  const after = await s.api.expect<Rec>(200, user, 'POST', `/v1/records/TravelApplications/${appId}/transitions/${id}`, body);
  s.said(`${user} performed "${name}": ${String(before.fields.stage)} → ${String(after.fields.stage)}`);
  return after;
};

const offered = async (s: Step, user: string): Promise<Array<{ id: string; name: string }>> =>
  (await s.api.expect<{ items: Array<{ id: string; name: string }> }>(200, user, 'GET', `/v1/records/TravelApplications/${s.need('applicationId')}/transitions`)).items;

/**
 * Step 4: the blueprint "Travel application" takes the application to Arrangement (the manager performs
 * Manager Approval), and a deal with 15 % off goes through the approval "Discount over 10%".
 */
export const runBlueprintAndDiscount = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const appId = s.need('applicationId');
  const name = s.need('applicationName');
  await transition(s, 'u-agent', 'requirements-checked', { note: 'Budget, travellers and passports checked' });
  await s.task('u-agent', `Draft the travel plan for ${name}`, appId);
  const planned = await transition(s, 'u-agent', 'travel-plan-ready', { fields: { destination: c.destination, departureDate: '2027-05-01', returnDate: '2027-05-05' } });
  s.said(`The plan: ${String(planned.fields.destination)}, ${String(planned.fields.departureDate)} to ${String(planned.fields.returnDate)}`);
  await s.task('u-manager', `Approve the travel plan for ${name}`, appId);
  await s.email(MANAGER_EMAIL, `Travel plan to approve: ${name}`);
  const agentMay = await offered(s, 'u-agent');
  const managerMay = await offered(s, 'u-manager');
  if (agentMay.length > 0 || !managerMay.some((t) => t.id === 'manager-approved')) api.fail(`in Manager Approval u-agent is offered [${agentMay.map((t) => t.id).join(', ')}] and u-manager [${managerMay.map((t) => t.id).join(', ')}]`);
  s.said(`In Manager Approval only the manager may act: u-agent is offered nothing, u-manager may choose ${managerMay.map((t) => `"${t.name}"`).join(' or ')}`);
  await transition(s, 'u-manager', 'manager-approved');
  await s.email(AGENT_EMAIL, `Travel plan approved: ${name}`);
  await s.task('u-agent', `Arrange tickets and lodging for ${name}`, appId);

  const dealName = `${name} package`;
  const deal = await api.expect<Rec>(201, 'u-agent', 'POST', '/v1/records/Deals', { fields: { name: dealName, contactId: s.need('contactId'), stage: 'Proposal', amount: 1_200_000, discountPercent: 15 } });
  s.ids.dealId = deal.id;
  if (deal.lock?.reason !== 'approval') api.fail('the deal with 15 % off was not sent for approval (no approval lock)');
  s.said(`u-agent offered the deal "${dealName}" (1,200,000, 15 % off): "Discount over 10%" sent it to the manager and locked it`);
  const pending = await api.until("the approval in u-manager's inbox", async () => {
    const inbox = await api.expect<{ items: Array<{ id: string; recordId: string }> }>(200, 'u-manager', 'GET', '/v1/approvals?status=pending&assignee=me&limit=200');
    return inbox.items.find((a) => a.recordId === deal.id);
  });
  s.ids.approvalId = pending.id;
  const decided = await api.expect<{ status: string }>(200, 'u-manager', 'POST', `/v1/approvals/${pending.id}/approve`, { comment: 'Fine for a family trip' });
  const after = await api.expect<Rec>(200, 'u-agent', 'GET', `/v1/records/Deals/${deal.id}`);
  if (decided.status !== 'approved' || after.lock) api.fail(`the approval is ${decided.status} and the deal ${after.lock ? 'still locked' : 'unlocked'}`);
  s.said('u-manager approved the discount; the deal is unlocked');
  await s.task('u-agent', `Send the approved quote for ${dealName}`, deal.id);
  await s.task('u-agent', 'Plan the high-value deal', deal.id);
  await s.email(MANAGER_EMAIL, `High-value deal: ${dealName}`);
  s.said('The workflow rule "High-value deal alert" saw an amount of 1,000,000 or more: a task for the owner, an email to the manager');
  await s.journeyIn('customer');
};

/**
 * The trip: the blueprint's last steps (Arrangement → Documents Review → Completed); the journey follows
 * with the "How was your trip?" email, and no reply within 3 days brings a follow-up call; after the
 * call the agent moves the customer to promoter by hand.
 */
export const completeTheTrip = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const appId = s.need('applicationId');
  const name = s.need('applicationName');
  await transition(s, 'u-agent', 'arranged');
  await s.task('u-agent', `Review the travel documents for ${name}`, appId);
  await transition(s, 'u-agent', 'documents-reviewed');
  await s.email(AGENT_EMAIL, `Travel application completed: ${name}`);
  await s.journeyIn('trip-completed');
  await s.email(c.email, 'How was your trip?');
  s.said('The application is Completed: the journey moved the customer to "trip completed" and asked how the trip was');
  await s.journeyIn('follow-up-call', api.afterSimulated(3 * DAY_MS));
  s.said('No reply within 3 days (of the cloud’s time): the journey asked the owner to call');
  const related = [s.need('leadId'), s.need('contactId'), appId];
  const call = await s.task('u-agent', 'Call the customer about their trip', related);
  await api.expect(200, 'u-agent', 'PATCH', `/v1/records/Tasks/${call.id}`, { fields: { status: 'Done' } });
  const moved = await api.expect<{ state: string }>(200, 'u-agent', 'POST', `/v1/journeys/${s.need('journeyId')}/instances/${s.need('instanceId')}/move`, { to: 'promoter', reason: 'Called: loved the trip and will recommend us' });
  s.said(`u-agent called (task done): the customer loved the trip, so u-agent moved them to ${moved.state} by hand`);
  await s.journeyIn('promoter');
};
