import type { Step } from './step.js';

const ARRANGEMENTS = 'Arrangements';

interface KioskAnswer {
  runId: string;
  done?: boolean;
  screen?: { id: string; components: Array<{ id: string; text?: string; value?: unknown; options?: Array<{ value: string; label: string }> }> } | null;
  result?: { title: string; message: string };
}

/** The phone as the customer reads it out: another format than the one entered (the lookup is by E.164). */
export const spoken = (phone: string): string => {
  const digits = phone.replace(/\D/g, '').replace(/^0/, '');
  return `+81 ${digits.slice(0, 2)} ${digits.slice(2, 6)} ${digits.slice(6)}`;
};

/**
 * Step 5: the customer calls to change the dates; u-agent runs the kiosk "Update travel info": the
 * customer's phone → their travel application → the new dates; the owner, Operations and the customer are told.
 */
export const changeDatesByKiosk = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const appId = s.need('applicationId');
  const name = s.need('applicationName');
  const run = await api.expect<KioskAnswer>(201, 'u-agent', 'POST', `/v1/kiosks/${s.need('kioskId')}/runs`);
  const submit = (screenId: string, values: Record<string, unknown>) => api.expect<KioskAnswer>(200, 'u-agent', 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId, values });
  const picked = await submit('customer-phone', { phone: spoken(c.phone) });
  const option = picked.screen?.components[0]?.options?.find((o) => o.value === appId) ?? api.fail(`the kiosk did not offer the application: ${JSON.stringify(picked.result ?? picked.screen)}`);
  s.said(`u-agent ran the kiosk "Update travel info", typed the customer's phone as they read it out and picked "${option.label}"`);
  const dates = await submit('pick-application', { application: appId });
  const now = dates.screen?.components.find((x) => x.id === 'currentDates');
  s.said(`The kiosk showed the current dates: ${String(now?.value ?? now?.text ?? '?')}`);
  const done = await submit('new-dates', { departureDate: '2027-05-08', returnDate: '2027-05-12', changeDetails: c.changeDetails });
  const result = (done.done && done.result) || api.fail(`the kiosk did not finish: ${JSON.stringify(done.screen)}`);
  s.said(`"${result.title}": ${result.message}`);
  const app = await api.expect<{ fields: Record<string, unknown> }>(200, 'u-agent', 'GET', `/v1/records/TravelApplications/${appId}`);
  if (app.fields.departureDate !== '2027-05-08' || app.fields.returnDate !== '2027-05-12') api.fail(`the application has ${String(app.fields.departureDate)} → ${String(app.fields.returnDate)}`);
  const [latest] = (await api.expect<{ items: Array<{ via?: string; reason?: string }> }>(200, 'u-agent', 'GET', `/v1/records/TravelApplications/${appId}/history`)).items;
  s.said(`The application now runs 2027-05-08 → 2027-05-12; its history names the change: via ${latest?.via ?? '?'}, ${latest?.reason ?? ''}`);
  const subject = `New travel dates: ${name}`;
  for (const to of ['u-agent@keiro.example', 'u-ops@keiro.example', c.email]) await s.email(to, subject);
  await s.journeyIn('customer');
};

interface Request {
  id: string;
  status: string;
  assigneeId?: string;
}

/**
 * Step 6: u-requester asks the Operations team for the flights and hotel (team module Arrangements,
 * which they cannot open); u-ops takes it from the team's queue to In Progress and Done; the
 * requester follows it in My Requests and hears of each change by email.
 */
export const arrangeWithOperations = async (s: Step): Promise<void> => {
  const { api, customer: c } = s;
  const name = s.need('applicationName');
  const title = `Flights and hotel for ${name}`;
  const submitted = await api.expect<Request>(201, 'u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS}/requests`, {
    fields: { title, kind: 'Flight', travelApplicationRef: s.need('applicationId'), destination: c.destination, travellers: 2, neededBy: '2027-04-20', priority: 'High' },
  });
  s.ids.requestId = submitted.id;
  s.said(`u-requester submitted "${title}" to Operations (team module ${ARRANGEMENTS}): ${submitted.status}, assigned to ${submitted.assigneeId ?? 'nobody'}`);
  const hidden = await api.call('u-requester', 'GET', `/v1/records/${ARRANGEMENTS}/${submitted.id}`);
  if (hidden.status !== 404) api.fail(`u-requester opened the team's module (answered ${hidden.status}, expected 404)`);
  s.said('u-requester cannot open the module itself (404), only My Requests');
  const queue = await api.expect<{ items: Request[] }>(200, 'u-ops', 'GET', `/v1/team-modules/${ARRANGEMENTS}/requests?status=Submitted&assignee=me&limit=200`);
  if (!queue.items.some((r) => r.id === submitted.id)) api.fail("the request is not in u-ops's queue");
  await api.expect(200, 'u-ops', 'PATCH', `/v1/requests/${submitted.id}`, { status: 'In Progress', comment: 'Booking the flights and a hotel now' }, { 'if-match': '"1"' });
  s.said('u-ops took it from the team’s queue: In Progress');
  await s.email('u-requester@keiro.example', `Your request "${title}" is now In Progress`);
  await api.expect(200, 'u-ops', 'PATCH', `/v1/requests/${submitted.id}`, { status: 'Done', comment: 'Booked: flights and four nights' });
  s.said('u-ops booked everything: Done');
  await s.email('u-requester@keiro.example', `Your request "${title}" is now Done`);
  const mine = await api.expect<Request>(200, 'u-requester', 'GET', `/v1/my-requests/${submitted.id}`);
  if (mine.status !== 'Done') api.fail(`My Requests shows ${mine.status}`);
  s.said(`u-requester sees it Done in My Requests`);
  await s.journeyIn('customer');
};
