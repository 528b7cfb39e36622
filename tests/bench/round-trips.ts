import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { historyKeys, recordKeys } from '../../shared/db/keys.js';
import { readHistoryItem, type StoredHistoryItem } from '../../shared/db/history.js';
import type { EventConsumer } from '../../shared/events/consumer.js';
import { consumeOnce } from '../../shared/events/idempotent-consumer.js';
import { busEntryFromHistory, busEventFromEntry } from '../../shared/events/outbox.js';
import { journeyRouter } from '../../functions/events/journey-router.js';
import { processNotifications } from '../../functions/events/process-notifications.js';
import { workflowRulesConsumer } from '../../functions/events/workflow-rules.js';
import { DEMO_CADENCE_ID } from '../../infra/local/seed-cadences.js';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../infra/local/seed-kiosks.js';
import { ARRANGEMENTS_MODULE } from '../../infra/local/seed-teams.js';
import { NEW_LEAD_WIZARD_ID } from '../../infra/local/seed-wizards.js';
import type { DynamoMeter } from './dynamo-meter.js';
import { GOALS, type GoalId } from './goals.js';

/**
 * The DynamoDB round trips of every command, read and event consumer that issue 17 §2 names, each
 * counted alone with the bench's meter (calls, never time) in a warm container: every scenario runs
 * twice and the second run is the one counted, so per-container caches (a module's owning team, the
 * metadata cache) are as a Lambda that has served one request before has them.
 */
export type TripKind = 'command' | 'read' | 'consumer';

export interface TripCount {
  operation: string;
  kind: TripKind;
  calls: number;
  byCommand: Record<string, number>;
}

/** The goal per kind (the design's quality bars; issue 17 §2), in goals.ts. */
export const TRIP_GOAL = { command: 'commandTrips', read: 'readTrips', consumer: 'consumerTrips' } as const satisfies Record<TripKind, GoalId>;
export const tripLimit = (kind: TripKind): number => GOALS[TRIP_GOAL[kind]].limit;

/** Calls the API as `user`; throws on a non-2xx answer. */
export type TripCall = (user: string, method: string, path: string, body?: unknown) => Promise<any>;

interface Scenario {
  operation: string;
  kind: TripKind;
  /** Unmetered: makes what the counted step acts on; returns what it needs. */
  prepare: () => Promise<any>;
  /** The counted step. */
  run: (prepared: any) => Promise<unknown>;
}

let serial = 0;
const next = () => ++serial;

/** The newest history entries of a record (its outbox), as the bus would deliver them. */
const recordEvents = async (deps: AppDeps, module: string, id: string, eventName: string) => {
  const res = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :hist)',
      ExpressionAttributeValues: { ':pk': recordKeys.key(module, id).PK, ':hist': historyKeys.prefix },
      ScanIndexForward: false,
      ConsistentRead: true,
    }),
  );
  const item = (res.Items as StoredHistoryItem[] | undefined)?.map(readHistoryItem).find((h) => h.eventName === eventName);
  if (!item) throw new Error(`round trips: no ${eventName} in the history of ${module}/${id}`);
  return busEventFromEntry(busEntryFromHistory(item));
};

const scenarios = (call: TripCall, deps: AppDeps): Scenario[] => {
  const discountedDeal = async () => {
    const deal = await call('u-agent', 'POST', '/v1/records/Deals', { fields: { name: `Trips deal ${next()}`, amount: 500_000, discountPercent: 15 } });
    return { deal, approvalId: deal.lock?.approvalId as string };
  };
  const travelApplication = () => call('u-agent', 'POST', '/v1/records/TravelApplications', { fields: { name: `Trips ${next()}`, contactId: '01JDEMOCON0000000000000001' } });
  const kioskAt = async (screens: number) => {
    const run = await call('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
    if (screens === 0) return run;
    const picked = await call('u-agent', 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: 'customer-phone', values: { phone: '090-1111-2222' } });
    if (screens === 1) return { ...run, application: picked.screen.components[0].options[0].value };
    await call('u-agent', 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: 'pick-application', values: { application: picked.screen.components[0].options[0].value } });
    return run;
  };
  const wizardAt = async (screens: number) => {
    const session = await call('u-agent', 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`);
    const submit = (screenId: string, values: Record<string, unknown>) => call('u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/screens/${screenId}`, { values });
    if (screens >= 1) await submit('contact-details', { lastName: `Wizard${next()}`, email: `wizard${serial}@example.jp` });
    if (screens >= 2) await submit('travel-wishes', { destinationWish: 'Kyoto', travellers: 2 });
    if (screens >= 3) await submit('consent', { emailConsent: true });
    return session;
  };
  const lead = (fields: Record<string, unknown> = {}) => call('u-agent', 'POST', '/v1/records/Leads', { fields: { lastName: `Trips${next()}`, leadStatus: 'New', ...fields } });
  const request = () => call('u-requester', 'POST', `/v1/team-modules/${ARRANGEMENTS_MODULE}/requests`, { fields: { title: `Trips ${next()}`, kind: 'Hotel' } });
  const consume = (consumer: EventConsumer) => async (event: Awaited<ReturnType<typeof recordEvents>>) => {
    const outcome = await consumeOnce(consumer, event, deps);
    if (outcome.kind !== 'handled') throw new Error(`${consumer.name}: ${outcome.kind}`);
  };
  return [
    // Commands.
    { operation: 'transition', kind: 'command', prepare: travelApplication, run: (r) => call('u-agent', 'POST', `/v1/records/TravelApplications/${r.id}/transitions/requirements-checked`, {}) },
    { operation: 'approve', kind: 'command', prepare: discountedDeal, run: (p) => call('u-manager', 'POST', `/v1/approvals/${p.approvalId}/approve`, {}) },
    { operation: 'reject', kind: 'command', prepare: discountedDeal, run: (p) => call('u-manager', 'POST', `/v1/approvals/${p.approvalId}/reject`, { comment: 'Too much' }) },
    { operation: 'delegate', kind: 'command', prepare: discountedDeal, run: (p) => call('u-manager', 'POST', `/v1/approvals/${p.approvalId}/delegate`, { toUserId: 'u-ops' }) },
    { operation: 'recall', kind: 'command', prepare: discountedDeal, run: (p) => call('u-agent', 'POST', `/v1/approvals/${p.approvalId}/recall`, { comment: 'Wrong customer' }) },
    {
      operation: 'review decision',
      kind: 'command',
      prepare: async () => (await call('u-agent', 'POST', '/v1/records/Accounts', { fields: { name: `Trips Travel ${next()}`, phone: '03-9999-0000', website: 'trips-travel' } })).lock?.reviewId as string,
      run: (reviewId) => call('u-manager', 'POST', `/v1/reviews/${reviewId}/decision`, { fields: { name: { accept: true }, phone: { accept: true }, website: { accept: false, reason: 'Not a URL' } } }),
    },
    { operation: 'kiosk start', kind: 'command', prepare: async () => undefined, run: () => kioskAt(0) },
    { operation: 'kiosk submit (phone lookup)', kind: 'command', prepare: () => kioskAt(0), run: (r) => call('u-agent', 'POST', `/v1/kiosk-runs/${r.runId}/submit`, { screenId: 'customer-phone', values: { phone: '090-1111-2222' } }) },
    { operation: 'kiosk submit (pick a record)', kind: 'command', prepare: () => kioskAt(1), run: (r) => call('u-agent', 'POST', `/v1/kiosk-runs/${r.runId}/submit`, { screenId: 'pick-application', values: { application: r.application } }) },
    {
      operation: 'kiosk submit (update + notification)',
      kind: 'command',
      prepare: () => kioskAt(2),
      run: (r) => call('u-agent', 'POST', `/v1/kiosk-runs/${r.runId}/submit`, { screenId: 'new-dates', values: { departureDate: '2027-04-10', returnDate: '2027-05-10', changeDetails: `Trips ${next()}` } }),
    },
    { operation: 'wizard start', kind: 'command', prepare: async () => undefined, run: () => wizardAt(0) },
    { operation: 'wizard screen submit', kind: 'command', prepare: () => wizardAt(0), run: (s) => call('u-agent', 'POST', `/v1/wizard-sessions/${s.sessionId}/screens/contact-details`, { values: { lastName: `Wizard${next()}`, email: `wizard${serial}@example.jp` } }) },
    { operation: 'wizard finish', kind: 'command', prepare: () => wizardAt(3), run: (s) => call('u-agent', 'POST', `/v1/wizard-sessions/${s.sessionId}/finish`) },
    { operation: 'lead conversion', kind: 'command', prepare: () => lead({ company: `Trips Co ${next()}` }), run: (l) => call('u-agent', 'POST', `/v1/records/Leads/${l.id}/convert`, { deal: { fields: { name: 'Trips tour', amount: 120_000 } } }) },
    { operation: 'team request submit', kind: 'command', prepare: async () => undefined, run: request },
    { operation: 'team request update', kind: 'command', prepare: request, run: (r) => call('u-ops', 'PATCH', `/v1/requests/${r.id}`, { status: 'In Progress', comment: 'On it' }) },
    { operation: 'enrollment', kind: 'command', prepare: () => lead({ email: `trips${next()}@example.jp` }), run: (l) => call('u-agent', 'POST', `/v1/cadences/${DEMO_CADENCE_ID}/enrollments`, { recordIds: [l.id] }) },
    // Reads.
    { operation: 'get record', kind: 'read', prepare: lead, run: (l) => call('u-agent', 'GET', `/v1/records/Leads/${l.id}`) },
    { operation: 'get approval', kind: 'read', prepare: discountedDeal, run: (p) => call('u-manager', 'GET', `/v1/approvals/${p.approvalId}`) },
    { operation: 'approvals inbox', kind: 'read', prepare: async () => undefined, run: () => call('u-manager', 'GET', '/v1/approvals?status=pending&assignee=me') },
    { operation: 'get kiosk run', kind: 'read', prepare: () => kioskAt(0), run: (r) => call('u-agent', 'GET', `/v1/kiosk-runs/${r.runId}`) },
    { operation: 'get wizard session', kind: 'read', prepare: () => wizardAt(1), run: (s) => call('u-agent', 'GET', `/v1/wizard-sessions/${s.sessionId}`) },
    { operation: 'get team request', kind: 'read', prepare: request, run: (r) => call('u-ops', 'GET', `/v1/requests/${r.id}`) },
    { operation: 'get enrollment', kind: 'read', prepare: async () => { const l = await lead({ email: `trips${next()}@example.jp` }); await call('u-agent', 'POST', `/v1/cadences/${DEMO_CADENCE_ID}/enrollments`, { recordIds: [l.id] }); return l; }, run: (l) => call('u-agent', 'GET', `/v1/cadences/${DEMO_CADENCE_ID}/enrollments/${l.id}`) },
    // Event consumers, one event each (the idempotency claim and mark included: they are per event too).
    {
      operation: 'workflow rule run (record.updated)',
      kind: 'consumer',
      prepare: async () => {
        const { deal } = await discountedDeal();
        const approvalId = deal.lock?.approvalId as string;
        await call('u-manager', 'POST', `/v1/approvals/${approvalId}/approve`, {});
        await call('u-agent', 'PATCH', `/v1/records/Deals/${deal.id}`, { fields: { amount: 1_500_000 } });
        return recordEvents(deps, 'Deals', deal.id, 'record.updated');
      },
      run: consume(workflowRulesConsumer),
    },
    { operation: 'journey router (record.created)', kind: 'consumer', prepare: async () => recordEvents(deps, 'Leads', (await lead({ email: `journey${next()}@example.jp` })).id, 'record.created'), run: consume(journeyRouter) },
    {
      operation: 'process notifications (approval.requested)',
      kind: 'consumer',
      prepare: async () => recordEvents(deps, 'Deals', (await discountedDeal()).deal.id, 'approval.requested'),
      run: consume(processNotifications),
    },
  ];
};

/** The keys (or key conditions) a recorded call touches, for `BENCH_TRIPS_VERBOSE=1`. */
const keysOf = (input: unknown): string => {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.PK === 'string') found.push(`${o.PK}|${String(o.SK ?? '')}`);
      else Object.values(o).forEach(walk);
    }
  };
  walk(input);
  const q = input as { KeyConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown>; IndexName?: string };
  return q.KeyConditionExpression ? `${q.IndexName ?? 'table'} ${q.KeyConditionExpression} ${JSON.stringify(q.ExpressionAttributeValues)}` : found.join(' ; ');
};

/** Counts each scenario's round trips (the second of two runs: a warm container). */
export const countRoundTrips = async (call: TripCall, deps: AppDeps, meter: DynamoMeter, only?: (operation: string) => boolean): Promise<TripCount[]> => {
  const counts: TripCount[] = [];
  for (const scenario of scenarios(call, deps)) {
    if (only && !only(scenario.operation)) continue;
    await scenario.run(await scenario.prepare());
    const prepared = await scenario.prepare();
    meter.reset();
    meter.recorded = [];
    await scenario.run(prepared);
    if (process.env.BENCH_TRIPS_VERBOSE) for (const c of meter.recorded) console.log(`  ${scenario.operation}: ${c.commandName.replace('Command', '')} ${keysOf(c.input)}`);
    meter.recorded = undefined;
    counts.push({ operation: scenario.operation, kind: scenario.kind, calls: meter.calls, byCommand: Object.fromEntries([...meter.byCommand].map(([k, v]) => [k.replace('Command', ''), v])) });
  }
  return counts;
};

/** e.g. `3 (BatchGetItem×1, Query×1, TransactWriteItems×1)`. */
export const tripSummary = (count: TripCount): string => `${count.calls} (${Object.entries(count.byCommand).map(([k, v]) => `${k}×${v}`).join(', ')})`;
