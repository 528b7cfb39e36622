import { areaOperations } from '../../functions/areas.js';
import { routes } from '../../functions/routes.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { createAreaHandler, type HttpEvent, type HttpHandler } from '../../shared/http/area-handler.js';
import type { Area } from '../../shared/http/route-spec.js';
import { apiGatewayEvent } from '../../infra/local/api-event.js';
import { createRouteMatcher } from '../../infra/local/route-matcher.js';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../infra/local/seed-kiosks.js';
import { NEW_LEAD_WIZARD_ID } from '../../infra/local/seed-wizards.js';
import { measurePrepared, type DynamoMeter } from './dynamo-meter.js';
import type { BenchRow } from './stats.js';

/**
 * Issue 17 §3, "measure what AWS will run": each area handler invoked in this process with the API
 * Gateway v2 event that API Gateway hands to the Lambda, its JWT claims already verified (the HTTP
 * API's JWT authorizer does that before the function runs). No HTTP hop, no token check.
 *
 * Each sample is paired with its own DynamoDB time: the meter times every call the handler awaits, and
 * the time any of them was in flight is the sample's baseline (dynamo-meter.ts `pairedSample`). The
 * ratio is the p50 of the per-sample ratios: what Keiro's handler adds to the database calls it really
 * made, writes included, measured within the same milliseconds so the machine's load stretches both.
 *
 * The event of each sample is built in its (unmeasured) preparation, as API Gateway builds it before
 * the invocation; the measured part is the handler's call alone.
 */

export interface InProcessContext {
  /** The deps the handlers run with; the demo is seeded in their table. */
  deps: AppDeps;
  /** Meters `deps.db`. */
  meter: DynamoMeter;
  samples: number;
}

/** Where the demo's API would be; the host only fills the event's domain fields. */
const API_URL = 'https://api.keiro.example';

/**
 * The claims as API Gateway's JWT authorizer passes them: every value a string, arrays flattened to
 * `[a b]` (shared/http/auth.ts reads both forms).
 */
export const verifiedClaims = (userId: string, now = new Date()): Record<string, string> => {
  const iat = Math.floor(now.getTime() / 1000);
  return { sub: userId, email: `${userId}@keiro.example`, 'cognito:groups': '[]', token_use: 'id', iss: 'https://auth.keiro.example', aud: 'keiro', iat: String(iat), exp: String(iat + 3600) };
};

/** Builds events of the route table's routes and invokes each area's handler as Lambda does. */
export const inProcessApi = (deps: AppDeps) => {
  const match = createRouteMatcher(routes);
  const handlers = new Map<Area, HttpHandler>();
  const handlerOf = (area: Area): HttpHandler => {
    let handler = handlers.get(area);
    if (!handler) {
      const operations = areaOperations[area];
      if (!operations) throw new Error(`No operations for area ${area}`);
      handler = createAreaHandler(operations, deps);
      handlers.set(area, handler);
    }
    return handler;
  };
  /** The event API Gateway would hand to the route's Lambda, and that Lambda's handler. */
  const prepare = (userId: string, method: string, path: string, body?: unknown): { event: HttpEvent; handler: HttpHandler } => {
    const url = new URL(path, API_URL);
    const found = match(method, url.pathname);
    if (found.kind !== 'match') throw new Error(`No route for ${method} ${url.pathname}`);
    const headers: Record<string, string> = { host: url.host, 'user-agent': 'keiro-bench', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const event = apiGatewayEvent({ method, url, headers, spec: found.spec, pathParameters: found.pathParameters, body: body === undefined ? '' : JSON.stringify(body), claims: verifiedClaims(userId) });
    return { event, handler: handlerOf(found.spec.area) };
  };
  /** Invokes a prepared event; a status of 300 or more is an error of the bench. */
  const invoke = async ({ event, handler }: { event: HttpEvent; handler: HttpHandler }): Promise<any> => {
    const response = await handler(event);
    const status = response.statusCode ?? 200;
    if (status >= 300) throw new Error(`${event.routeKey} → ${status}: ${response.body}`);
    return response.body ? JSON.parse(response.body) : undefined;
  };
  const call = (userId: string, method: string, path: string, body?: unknown): Promise<any> => invoke(prepare(userId, method, path, body));
  return { prepare, invoke, call };
};

/** Runs before each row's samples: the first calls of a route pay for its JIT and the first reads. */
const WARM_UP = 5;

/**
 * Record create, get and patch (u-agent), a blueprint transition (u-agent), an approval decision
 * (u-manager), a kiosk screen submit and a wizard screen submit (u-agent), each invoked in-process:
 * p50 and p99 of the handler's call, its DynamoDB round trips, its own DynamoDB time per sample (and,
 * for the get, whose calls only read, the same calls replayed bare).
 */
export const benchInProcess = async ({ deps, meter, samples }: InProcessContext): Promise<BenchRow[]> => {
  const api = inProcessApi(deps);
  const row = async <S>(operation: string, prepare: (i: number) => Promise<S>, run: (subject: S) => Promise<unknown>): Promise<BenchRow> => {
    for (let i = 0; i < WARM_UP; i++) await run(await prepare(-1 - i));
    return measurePrepared({ db: deps.db, meter, samples }, operation, prepare, run);
  };
  const lead = (i: number) => ({ lastName: `InProcess${i}`, email: `in-process${i}@example.jp`, leadStatus: 'New', industry: 'Travel' });
  const leads: string[] = [];
  for (let i = 0; i < 20; i++) leads.push((await api.call('u-agent', 'POST', '/v1/records/Leads', { fields: lead(i) })).id);
  const contactId = '01JDEMOCON0000000000000001';
  let n = 1000;
  return [
    await row('create', async () => api.prepare('u-agent', 'POST', '/v1/records/Leads', { fields: lead(n++) }), api.invoke),
    await row('get', async (i) => api.prepare('u-agent', 'GET', `/v1/records/Leads/${leads[Math.abs(i) % leads.length]}`), api.invoke),
    await row('patch', async (i) => api.prepare('u-agent', 'PATCH', `/v1/records/Leads/${leads[Math.abs(i) % leads.length]}`, { fields: { company: `Co ${i}`, leadStatus: i % 2 ? 'Contacted' : 'New' } }), api.invoke),
    await row(
      'transition',
      async (i) => {
        const { id } = await api.call('u-agent', 'POST', '/v1/records/TravelApplications', { fields: { name: `In-process trip ${i}`, contactId } });
        return api.prepare('u-agent', 'POST', `/v1/records/TravelApplications/${id}/transitions/requirements-checked`, {});
      },
      api.invoke,
    ),
    await row(
      'approve',
      async (i) => {
        const deal = await api.call('u-agent', 'POST', '/v1/records/Deals', { fields: { name: `In-process deal ${i}`, discountPercent: 15 } });
        return api.prepare('u-manager', 'POST', `/v1/approvals/${deal.lock.approvalId}/approve`, {});
      },
      api.invoke,
    ),
    await row(
      'kiosk submit',
      async () => {
        const run = await api.call('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
        return api.prepare('u-agent', 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: 'customer-phone', values: { phone: '090-1111-2222' } });
      },
      api.invoke,
    ),
    await row(
      'wizard submit',
      async (i) => {
        const session = await api.call('u-agent', 'POST', `/v1/wizards/${NEW_LEAD_WIZARD_ID}/sessions`);
        return api.prepare('u-agent', 'POST', `/v1/wizard-sessions/${session.sessionId}/screens/contact-details`, { values: { lastName: `Wizard${i}`, email: `wizard${i}@example.jp` } });
      },
      api.invoke,
    ),
  ];
};

const fmt = (n: number | undefined): string => (n === undefined ? '—' : n.toFixed(2)).padStart(8);

/** The rows as a text table, with what each sample's ratio is made of. */
export const printInProcessBench = (rows: readonly BenchRow[]): void => {
  console.log('\nHandlers invoked in-process as Lambda runs them (API Gateway event, claims verified; no HTTP, no token check)\n');
  console.log('operation       p50 ms    p99 ms  own DynamoDB p50 ms  Keiro p50 ms  replay p50 ms  p50 of ratios  round trips per request');
  for (const r of rows) {
    console.log(`${r.operation.padEnd(13)} ${fmt(r.p50)}  ${fmt(r.p99)}  ${fmt(r.rawP50).padStart(19)}  ${fmt(r.ownP50).padStart(12)}  ${fmt(r.replayP50).padStart(13)}  ${r.ratio.toFixed(2).padStart(12)}x  ${r.roundTrips}`);
  }
  console.log('"own DynamoDB": per sample, the time any DynamoDB call the handler awaited was in flight; "Keiro": the sample\'s');
  console.log('latency less that; "p50 of ratios": the p50 (nearest rank) of latency ÷ own DynamoDB time, sample by sample.');
};
