import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { consumers } from '../../functions/events/consumers.js';
import { subscriptions } from '../../functions/subscriptions.js';
import { createEventRouter, createStreamPoller, localStreamsClient, memoryPositionStore } from '../../infra/local/events/index.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../shared/domain/journey/demo.js';
import { pathKey, reportChange, type Deltas, type StateVisit } from '../../shared/domain/journey/report.js';
import { saveDefinition } from '../../shared/db/definitions-repo.js';
import { getInstance, instancesOfCustomers, reportItems } from '../../shared/db/journeys-repo.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { createRecord, updateRecord } from '../../shared/db/records-repo.js';
import { percentile } from './stats.js';

type Call = (method: string, path: string, body?: unknown) => Promise<any>;

/** Routes customers take through the demo journey (Pathfinder sees each as one path). */
const ROUTES = [
  ['lead'],
  ['lead', 'nurture'],
  ['lead', 'prospect', 'customer'],
  ['lead', 'nurture', 'prospect', 'customer'],
  ['lead', 'prospect', 'customer', 'escalated', 'customer'],
  ['lead', 'prospect', 'customer', 'trip-completed', 'promoter'],
  ['lead', 'prospect', 'customer', 'trip-completed', 'follow-up-call'],
  ['lead', 'prospect', 'customer', 'trip-completed', 'follow-up-call', 'promoter'],
  ['lead', 'nurture', 'prospect', 'customer', 'escalated', 'customer', 'trip-completed', 'promoter'],
  ['lead', 'promoter'],
];
const DAYS = 30;
const T0 = Date.parse('2027-01-01T08:00:00.000Z');

/**
 * The counters `count` instances leave behind, spread over DAYS days and ROUTES, accumulated from
 * reportChange of every step (what the router's transactions ADD), then written directly: the same
 * items and the same number of them whatever `count` is (states × days + paths).
 */
const writeCounters = async (deps: AppDeps, journeyId: string, count: number): Promise<number> => {
  const daily: Record<string, Deltas> = {};
  const now: Deltas = {};
  const paths = new Map<string, { startedAt: string; count: number }>();
  const addAll = (target: Deltas, deltas: Deltas) => {
    for (const [k, v] of Object.entries(deltas)) target[k] = (target[k] ?? 0) + v;
  };
  for (let i = 0; i < count; i++) {
    const route = ROUTES[i % ROUTES.length]!;
    let t = T0 + (i % DAYS) * 86_400_000 + (i % 977) * 1000;
    const visits: StateVisit[] = [];
    for (const [j, state] of route.entries()) {
      const before = visits.map((v) => ({ ...v }));
      if (j > 0) visits[j - 1]!.leftAt = new Date(t).toISOString();
      visits.push({ state, enteredAt: new Date(t).toISOString() });
      const change = reportChange(before, visits);
      for (const [day, deltas] of Object.entries(change.daily)) addAll((daily[day] ??= {}), deltas);
      addAll(now, change.now);
      t += ((i * 7919 + j * 104_729) % 36) * 3_600_000 + 60_000;
    }
    const key = `${visits[0]!.enteredAt.slice(0, 10)}|${pathKey(visits)}`;
    paths.set(key, { startedAt: visits[0]!.enteredAt, count: (paths.get(key)?.count ?? 0) + 1 });
  }
  // The same items the transactions update, as Puts with the summed values.
  const items = reportItems(deps.tableName, journeyId, new Date(T0).toISOString(), { daily, now, paths: {} }).map((u) => u.Update!);
  const puts = items.map((u) => {
    const item: Record<string, unknown> = { ...u.Key };
    for (const [alias, name] of Object.entries(u.ExpressionAttributeNames ?? {})) item[name] = u.ExpressionAttributeValues?.[`:${alias.slice(1)}`];
    return item;
  });
  for (const [key, { startedAt, count: n }] of paths) {
    const [u] = reportItems(deps.tableName, journeyId, startedAt, { daily: {}, now: {}, paths: { [key.split('|')[1]!]: n } });
    const item: Record<string, unknown> = { ...u!.Update!.Key };
    for (const [alias, name] of Object.entries(u!.Update!.ExpressionAttributeNames ?? {})) item[name] = u!.Update!.ExpressionAttributeValues?.[`:${alias.slice(1)}`];
    puts.push(item);
  }
  for (let i = 0; i < puts.length; i += 25) {
    await deps.db.send(new BatchWriteCommand({ RequestItems: { [deps.tableName]: puts.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return puts.length;
};

export interface JourneyBench {
  rows: Array<{ what: string; instances: number; items: number; p50: number; p99: number }>;
  /** Record change → journey state change; `changeP50`: the record change alone (the update's own latency), its baseline. */
  delay: { samples: number; p50: number; p99: number; changeP50: number };
}

const time = async (samples: number, op: () => Promise<unknown>): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await op();
    out.push(performance.now() - t);
  }
  return out;
};

/**
 * Report and paths latency over HTTP with 1,000 and 100,000 instances' counters, and the delay from
 * a record change (leadStatus → Qualified, through the records core) to the journey's state change
 * through the local event path (stream poller → router → journey router).
 */
export const benchJourneys = async (deps: AppDeps, call: Call, streams: { endpoint: string; region: string }, eventDeps: AppDeps, samples = 100): Promise<JourneyBench> => {
  const rows: JourneyBench['rows'] = [];
  const sizes = [1_000, 100_000];
  const items = new Map<number, number>();
  for (const instances of sizes) {
    const id = `JBENCH${instances}`;
    await saveDefinition(deps, 'journey', id, { ...TRAVEL_CUSTOMER_JOURNEY, name: `Bench journey ${instances}` }, undefined, { actor: 'bench', via: 'system', correlationId: 'bench' });
    items.set(instances, await writeCounters(deps, id, instances));
    const check = await call('GET', `/v1/journeys/${id}/report`);
    if (check.started !== instances) throw new Error(`report counted ${check.started} of ${instances} instances`);
  }
  // Calls to both sizes alternate, so both see the same load on a shared machine.
  for (const what of ['report', 'paths'] as const) {
    const latencies = new Map<number, number[]>(sizes.map((n) => [n, []]));
    for (let i = 0; i < samples + 10; i++) {
      for (const instances of sizes) {
        const [ms] = await time(1, () => call('GET', `/v1/journeys/JBENCH${instances}/${what}`));
        if (i >= 10) latencies.get(instances)!.push(ms!);
      }
    }
    for (const instances of sizes) rows.push({ what, instances, items: items.get(instances)!, p50: percentile(latencies.get(instances)!, 50), p99: percentile(latencies.get(instances)!, 99) });
  }

  // The event path as npm start runs it, with the journey router's subscription (in AWS its own rule and
  // Lambda, so other consumers do not queue before it), over a table of its own (seeded with the demo) in
  // a database of its own (`streams.region`), so the stream holds no backlog of the other benchmarks' writes.
  const ev = eventDeps;
  const leads = (await getModule(ev, 'Leads'))!;
  const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'bench-delay' };
  const client = localStreamsClient(streams.region, streams.endpoint);
  const router = createEventRouter({ deps: ev, subscriptions: subscriptions.filter((s) => s.id === 'journey-router'), consumers: [...consumers], log: () => undefined });
  const poller = createStreamPoller({ client, tableName: ev.tableName, positions: memoryPositionStore(), publish: router.publish, log: () => undefined });
  poller.start();
  const stateOf = async (leadId: string): Promise<string | undefined> => {
    const [alias] = await instancesOfCustomers(ev, [leadId]);
    return alias ? (await getInstance(ev, alias.instanceId))?.state : undefined;
  };
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 4000; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('the journey did not move within 8 s');
  };
  const delays: number[] = [];
  const changes: number[] = [];
  const delaySamples = Math.min(samples, 50);
  for (let i = 0; i < delaySamples + 5; i++) {
    const lead = await createRecord(ev, leads, { id: ev.newId(), ownerId: 'u-agent', fields: { lastName: `Delay${i}`, leadStatus: 'New' } }, ctx);
    await until(async () => (await stateOf(lead.id)) === 'lead');
    const started = performance.now();
    await updateRecord(ev, leads, lead.id, { fields: { leadStatus: 'Qualified' } }, ctx);
    const changed = performance.now();
    await until(async () => (await stateOf(lead.id)) !== 'lead');
    if (i >= 5) {
      delays.push(performance.now() - started);
      changes.push(changed - started);
    }
  }
  await poller.stop();
  await router.drain();
  client.destroy();
  return { rows, delay: { samples: delays.length, p50: percentile(delays, 50), p99: percentile(delays, 99), changeP50: percentile(changes, 50) } };
};

export const printJourneyBench = (b: JourneyBench): void => {
  console.log('\nJourney report and Pathfinder over HTTP (counters only: states × days + paths items)');
  console.log('route   | instances | items read | p50 ms | p99 ms | p50 vs 1,000');
  for (const row of b.rows) {
    const baseline = b.rows.find((r) => r.what === row.what && r.instances === 1_000)!;
    console.log(`${row.what.padEnd(7)} | ${row.instances.toLocaleString('en-US').padStart(9)} | ${String(row.items).padStart(10)} | ${row.p50.toFixed(1).padStart(6)} | ${row.p99.toFixed(1).padStart(6)} | ${(row.p50 / baseline.p50).toFixed(2)}× (goal ≤ 1.2×)`);
  }
  console.log(`\nRecord change → journey state change, local cloud (stream poller every 200 ms → router → journey router), ${b.delay.samples} samples`);
  console.log(`p50 ${b.delay.p50.toFixed(0)} ms, p99 ${b.delay.p99.toFixed(0)} ms (goal: p99 < 1000 ms)`);
};
