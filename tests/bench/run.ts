/**
 * `npm run bench`: handlers invoked in-process as Lambda runs them (in-process.ts: the goal), then create,
 * get and patch latency (p50, p99) over HTTP (information) against the local cloud at
 * concurrency 1 and 16; the DynamoDB round trips each operation makes; and, measured in the same run,
 * the ratio of each operation's latency to the time its own DynamoDB calls took (paired per sample where
 * requests run one at a time, else the calls replayed bare; stats.ts `BenchRow`) (the overhead of
 * HTTP, validation, access checks and our code on top of the database). Then processes, a workflow rule
 * run, a kiosk run, cadences, the timer, journeys, and every deployed Lambda's bundle; each section prints
 * its own detail, and the run ends with ONE table (table.ts) of every figure beside its same-run baseline,
 * its ratio and its goal (goals.ts), marked met or NOT met. `BENCH_SAMPLES` (default 200) sets requests
 * per row, `BENCH_LOAD_RUNS` (default 5) fresh processes per bundle load, `BENCH_ONLY` runs one part
 * (below). A missed goal still exits 0; a crash exits non-zero.
 */
import './quiet.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { areaOperations } from '../../functions/areas.js';
import { routes } from '../../functions/routes.js';
import { createDocumentClient, createSesClient, type AppDeps } from '../../shared/adapters/deps.js';
import { recordKeys } from '../../shared/db/keys.js';
import { createLocalApi } from '../../infra/local/api-server.js';
import { loadOrCreateKeys, signToken } from '../../infra/local/auth-keys.js';
import { ensureTable } from '../../infra/local/create-table.js';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/ports.js';
import { seedDemo } from '../../infra/local/seed.js';
import { BEFORE } from './before.js';
import { measurePrepared, meterDynamo, replay, replayRow, roundTripSummary, type RecordedCall } from './dynamo-meter.js';
import { benchKioskRun } from './kiosk-run.js';
import { benchInProcess, printInProcessBench } from './in-process.js';
import { percentile, runConcurrent, type BenchRow } from './stats.js';
import { benchTimer, printTimerBench } from './timer.js';
import { benchProcesses } from './processes.js';
import { benchCadences, printCadenceBench } from './cadence.js';
import { benchJourneys, printJourneyBench } from './journeys.js';
import { prepareRuleRun } from './workflow-rule.js';
import { benchBundles } from './bundles.js';
import { benchBill, printBillBench } from './bill.js';
import { billFigures, bundleFigures, cadenceFigures, journeyFigures, operationFigure, roundTripFigures, timerBucketFigures, timerFigures } from './figures.js';
import { countRoundTrips, type TripCall } from './round-trips.js';
import { groupsFor } from '../../infra/local/seed-users.js';
import { localCadencePorts } from '../../infra/local/cadence-local.js';
import { startSesLocal } from '../../infra/local/ses-local.js';
import { benchTimerBuckets, printTimerBucketsBench } from './timer-buckets.js';
import { renderRunTable } from './table.js';
import { benchShadow, printShadowBench, shadowFigures } from './shadow.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const CONCURRENCIES = [1, 16];
/**
 * `BENCH_ONLY=bundles`: only the Lambda bundles (sizes, load times), in seconds rather than minutes.
 * `BENCH_ONLY=timers`: only the shared timer (a bare wake, and the pending waits carried by buckets).
 * `BENCH_ONLY=cadences`: only the cadences' sending at low volume, beside a bare timer wake (a few minutes).
 * `BENCH_ONLY=bill`: only the bill of the demo's story (its own local cloud; a few minutes).
 * `BENCH_ONLY=trips`: only the DynamoDB round trips of each command, read and consumer (no bundles, no timers).
 * `BENCH_ONLY=shadow`: only shadow runs (1k, 5k and 10k recorded changes replayed).
 * `BENCH_ONLY=inprocess`: only the handlers invoked in-process as Lambda runs them (issue 17 §3; a few minutes).
 */
const ONLY = process.env.BENCH_ONLY;
const PARTIAL_RUNS = ['bundles', 'timers', 'cadences', 'bill', 'trips', 'shadow', 'inprocess'];
if (ONLY !== undefined && !PARTIAL_RUNS.includes(ONLY)) throw new Error(`BENCH_ONLY=${ONLY}: the partial runs are ${PARTIAL_RUNS.map((r) => `"${r}"`).join(', ')}`);
/** Pending cadence steps over a day for the timer-bucket figures (issue 17: 100,000). */
const TIMER_WAITS = Number(process.env.BENCH_TIMER_WAITS ?? 100_000);
/** Wall seconds the timer-bucket figures' simulated day takes: long enough for DynamoDB Local on the shared 2-core machine to keep up with 100,000 wakes (at 120 s it fell behind). */
const TIMER_DAY_SECONDS = Number(process.env.BENCH_TIMER_DAY_SECONDS ?? 600);
if (!(TIMER_DAY_SECONDS > 0)) throw new Error(`BENCH_TIMER_DAY_SECONDS=${process.env.BENCH_TIMER_DAY_SECONDS}: a positive number of seconds is needed`);
/** Fresh processes per bundle for its module-load time (and as many for its SDK-only bundle). */
const LOAD_RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 5);
if (!Number.isInteger(LOAD_RUNS) || LOAD_RUNS < 1) throw new Error(`BENCH_LOAD_RUNS=${process.env.BENCH_LOAD_RUNS}: a positive whole number is needed`);

/** The area each operation row belongs to in the one table. */
const AREA_OF_OPERATION: Record<string, string> = { create: 'records', get: 'records', patch: 'records', transition: 'blueprints', approve: 'approvals', 'rule run': 'workflow rules', 'kiosk run (4 requests)': 'kiosks', 'kiosk submit': 'kiosks', 'wizard submit': 'wizards' };
const areaOf = (operation: string): string => {
  const area = AREA_OF_OPERATION[operation];
  if (!area) throw new Error(`tests/bench/run.ts: no area for the operation "${operation}" (AREA_OF_OPERATION)`);
  return area;
};

/** The bill runs the story on a local cloud of its own (its own DynamoDB Local, SES local and services). */
const billBench = async () => {
  const bill = await benchBill();
  printBillBench(bill);
  return bill;
};
if (ONLY === 'bill') {
  const bill = await billBench();
  console.log(renderRunTable(billFigures(bill), { samples: 0, loadRuns: 0, only: ONLY }));
  process.exit(0);
}

const dynamo = await startDynamoDbLocal({ port: await freePort(), sharedDb: false });
const region = 'ap-northeast-1';
const tableName = 'keiro-bench';
const base = new DynamoDBClient({ region, endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
await ensureTable(base, tableName);

/**
 * `deps` on a table in a database of its own: this DynamoDB Local keeps each region as one (no sharedDb),
 * and there a write to a table with a stream, or a stream read, costs time that grows with every stream
 * record of its database (tests/README.md "Test time"). Measured on the main table after the benches
 * before it, the timer's 100,000 waits took longer to write than the whole bench takes; in AWS a
 * table's writes do not depend on what else the account wrote.
 */
const onOwnDatabase = async (deps: AppDeps, name: string): Promise<{ deps: AppDeps; region: string }> => {
  const own = `bench-${name}`;
  const db = createDocumentClient(own, dynamo.endpoint);
  await ensureTable(db as unknown as DynamoDBClient, `${tableName}-${name}`);
  return { deps: { ...deps, db, tableName: `${tableName}-${name}` }, region: own };
};

/** Deps on the bench's main table for the partial runs that serve no API (their mail, if any, goes to an SES of their own). */
const partialRunDeps = (): AppDeps => ({ db: createDocumentClient(region, dynamo.endpoint), tableName, ses: createSesClient(region, 'http://127.0.0.1:1'), mail: { from: 'bench@keiro.example' }, clock: () => new Date(), newId: ulid, defaultPhoneRegion: 'JP' });

/** A bare timer wake, on a table of its own (which also keeps out the waits the benches before wrote, of kinds its wake handler does not know). */
const bareTimerBench = async (deps: AppDeps) => {
  const timer = await benchTimer((await onOwnDatabase(deps, 'timer')).deps);
  printTimerBench(timer);
  return timer;
};

/** The shared timer's figures, each run on a table of its own. */
const timerBenches = async (deps: AppDeps) => {
  const timer = await bareTimerBench(deps);
  const buckets = await benchTimerBuckets((await onOwnDatabase(deps, 'timers')).deps, TIMER_WAITS, TIMER_DAY_SECONDS);
  printTimerBucketsBench(buckets);
  return { timer, buckets };
};
if (ONLY === 'timers') {
  const { timer, buckets } = await timerBenches(partialRunDeps());
  base.destroy();
  await dynamo.stop();
  console.log(renderRunTable([...timerFigures(timer), ...timerBucketFigures(buckets)], { samples: 0, loadRuns: 0, only: ONLY }));
  process.exit(0);
}

/** Shadow runs, each window size on a table of its own. */
const shadowBenches = async (deps: AppDeps) => {
  const rows = await benchShadow(async (size) => (await onOwnDatabase(deps, `shadow-${size}`)).deps);
  printShadowBench(rows);
  return rows;
};
if (ONLY === 'shadow') {
  const rows = await shadowBenches(partialRunDeps());
  base.destroy();
  await dynamo.stop();
  console.log(renderRunTable(shadowFigures(rows), { samples: 0, loadRuns: 0, only: ONLY }));
  process.exit(0);
}

/**
 * The cadences' sending, on a table in a database of its own seeded with the demo: its stream is read
 * as the local cloud reads it, and on the bench's main database each read would wait behind every
 * stream record written there (onOwnDatabase).
 */
const cadenceBench = async (deps: AppDeps) => {
  const own = await onOwnDatabase(deps, 'cadences');
  await seedDemo(own.deps);
  return benchCadences(own.deps, { endpoint: dynamo.endpoint, region: own.region });
};
if (ONLY === 'cadences') {
  const cadence = await cadenceBench(partialRunDeps());
  printCadenceBench(cadence);
  const timer = await bareTimerBench(partialRunDeps());
  base.destroy();
  await dynamo.stop();
  console.log(renderRunTable([...cadenceFigures(cadence, timer), ...timerFigures(timer)], { samples: 0, loadRuns: 0, only: ONLY }));
  process.exit(0);
}

/** Seeds the demo on the bench table and serves the API in-process: what the round trips and the HTTP rows run against. */
const serveDemo = async () => {
  const db = createDocumentClient(region, dynamo.endpoint);
  const meter = meterDynamo(db);
  // The cadence ports as npm start has them (enrollments plan in the recipient's time zone, with an unsubscribe link).
  const cadence = localCadencePorts(mkdtempSync(join(tmpdir(), 'keiro-bench-cadence-')));
  // A real SES local: the rule and process consumers send mail.
  const ses = await startSesLocal({ port: await freePort() });
  const deps: AppDeps = { db, tableName, ses: createSesClient(region, ses.endpoint), mail: { from: 'bench@keiro.example' }, clock: () => new Date(), newId: ulid, defaultPhoneRegion: 'JP', cadence };
  await seedDemo(deps);
  const keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'keiro-bench-')));
  const api = createLocalApi({ deps, routes, areas: areaOperations, keys });
  const baseUrl = await api.listen(0);
  const tokens = new Map<string, string>();
  const callAs: TripCall = async (user, method, path, body) => {
    if (!tokens.has(user)) tokens.set(user, await signToken(keys, { sub: user, email: `${user}@keiro.example`, groups: groupsFor(user) }));
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${tokens.get(user)}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${user} ${method} ${path} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { db, meter, deps, keys, api, baseUrl, callAs, close: async () => { await api.close(); await ses.stop(); } };
};
if (ONLY === 'trips') {
  const demo = await serveDemo();
  const counts = await countRoundTrips(demo.callAs, demo.deps, demo.meter, process.env.BENCH_TRIPS ? (op) => op.includes(process.env.BENCH_TRIPS as string) : undefined);
  await demo.close();
  base.destroy();
  await dynamo.stop();
  console.log(renderRunTable(roundTripFigures(counts), { samples: 0, loadRuns: 0, only: ONLY }));
  process.exit(0);
}
/** Samples per in-process row: half the HTTP rows' (each sample first prepares its subject, unmeasured). */
const IN_PROCESS_SAMPLES = Math.max(20, Math.floor(SAMPLES / 2));
if (ONLY === 'inprocess') {
  const demo = await serveDemo();
  const inProcessRows = await benchInProcess({ deps: demo.deps, meter: demo.meter, samples: IN_PROCESS_SAMPLES });
  printInProcessBench(inProcessRows);
  await demo.close();
  base.destroy();
  await dynamo.stop();
  console.log(renderRunTable(inProcessRows.map((r) => operationFigure(areaOf(r.operation), r, 'in-process')), { samples: IN_PROCESS_SAMPLES, loadRuns: 0, only: ONLY }));
  process.exit(0);
}

// First, while nothing else of the bench runs: every deployed Lambda bundled as CDK does, against its
// SDK-only bundle. The two entries that read the table at import (the unsubscribe key) read this one.
console.log(`Lambda bundles (esbuild as CDK's NodejsFunction runs it; load time: median of ${LOAD_RUNS} fresh node processes)`);
const bundles = await benchBundles({ runs: LOAD_RUNS, env: { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: tableName }, log: (line) => console.log(line) });
if (ONLY === 'bundles') {
  base.destroy();
  await dynamo.stop();
  console.log(renderRunTable(bundleFigures(bundles), { samples: 0, loadRuns: LOAD_RUNS, only: ONLY }));
  process.exit(0);
}

const { db, meter, deps, keys, baseUrl, callAs: tripCall, close: closeDemo } = await serveDemo();
const token = await signToken(keys, { sub: 'u-agent', email: 'u-agent@keiro.example' });
// Cadences first: their figures do not depend on the records benchmark below.
const cadence = await cadenceBench(deps);
printCadenceBench(cadence);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, ...extra }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as any;
};

const leadFields = (i: number) => ({ lastName: `Bench${i}`, email: `bench${i}@example.jp`, phone: `090-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(i % 10000).padStart(4, '0')}`, leadStatus: 'New', industry: 'Travel' });

type Row = BenchRow;
const rows: Row[] = [];

/** One instrumented run of an operation alone: its DynamoDB round trips, and the calls themselves. */
const recordOne = async (op: () => Promise<unknown>): Promise<{ summary: string; calls: RecordedCall[] }> => {
  meter.reset();
  meter.recorded = [];
  await op();
  const calls = meter.recorded;
  meter.recorded = undefined;
  return { summary: roundTripSummary(meter), calls };
};

// Warm up connections, JIT and DynamoDB Local.
for (let i = 0; i < 30; i++) await call('POST', '/v1/records/Leads', { fields: leadFields(i) });

for (const concurrency of CONCURRENCIES) {
  const created: string[] = [];
  const measure = async (operation: string, task: (i: number) => Promise<void>, single: () => Promise<unknown>) => {
    const { summary, calls } = await recordOne(single);
    const latencies = await runConcurrent(SAMPLES, concurrency, task);
    // The same DynamoDB calls, bare, at the same concurrency, right after: the baseline of this row.
    const raw = await runConcurrent(SAMPLES, concurrency, () => replay(db, calls));
    rows.push(replayRow(operation, concurrency, latencies, summary, raw));
  };
  let n = 100_000 * concurrency;
  await measure(
    'create',
    async () => {
      created.push((await call('POST', '/v1/records/Leads', { fields: leadFields(n++) })).id);
    },
    () => call('POST', '/v1/records/Leads', { fields: leadFields(n++) }),
  );
  await measure(
    'get',
    async (i) => {
      await call('GET', `/v1/records/Leads/${created[i % created.length]}`);
    },
    () => call('GET', `/v1/records/Leads/${created[0]}`),
  );
  await measure(
    'patch',
    async (i) => {
      await call('PATCH', `/v1/records/Leads/${created[i % created.length]}`, { fields: { company: `Co ${i}`, leadStatus: i % 2 ? 'Contacted' : 'New' } });
    },
    () => call('PATCH', `/v1/records/Leads/${created[0]}`, { fields: { company: 'Solo' } }),
  );
}

// Business processes: a blueprint transition (u-agent) and an approval decision (u-manager).
const managerToken = await signToken(keys, { sub: 'u-manager', email: 'u-manager@keiro.example' });
const callAs = async (user: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${baseUrl}${path}`, { method, headers: { ...headers, authorization: `Bearer ${user === 'u-manager' ? managerToken : token}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as { id: string; lock?: { approvalId: string } };
};
rows.push(...(await benchProcesses({ call: callAs, db, meter, samples: Math.max(20, Math.floor(SAMPLES / 2)) })));
// A workflow rule run (the rules consumer's work for one event), without HTTP.
const runRule = await prepareRuleRun(deps);
for (let i = 0; i < 10; i++) await runRule();
// One at a time, as Lambda runs it: each run against its own DynamoDB time (paired). At 16 at once the
// calls of concurrent runs interleave on the one client, so those rows keep the replayed baseline.
rows.push(await measurePrepared({ db, meter, samples: SAMPLES }, 'rule run', async () => undefined, runRule));
for (const concurrency of CONCURRENCIES.filter((c) => c > 1)) {
  const { summary, calls } = await recordOne(runRule);
  const latencies = await runConcurrent(SAMPLES, concurrency, runRule);
  const bare = await runConcurrent(SAMPLES, concurrency, () => replay(db, calls));
  rows.push(replayRow('rule run', concurrency, latencies, summary, bare));
}
rows.push(await benchKioskRun({ samples: SAMPLES, db, call: (method, path, body) => call(method, path, body), recordOne }));
// As Lambda runs them: an API Gateway event with verified claims handed to the area handler in this process.
const inProcessRows = await benchInProcess({ deps, meter, samples: IN_PROCESS_SAMPLES });
// Round trips of every command, read and consumer (counted, not timed).
const tripCounts = await countRoundTrips(tripCall, deps, meter);

// Baseline in the same process: a bare GetItem against the same DynamoDB Local, no HTTP, no Keiro code.
const raw = await runConcurrent(SAMPLES, 1, async () => {
  await db.send(new GetCommand({ TableName: tableName, Key: recordKeys.key('Leads', '01JDEMOLEA0000000000000001') }));
});

const fmt = (n: number) => n.toFixed(2).padStart(8);
console.log(`\nKeiro records API over HTTP against DynamoDB Local (${SAMPLES} requests per row)\n`);
console.log('operation  conc      p50 ms    p99 ms  raw p50 ms  p50÷raw  round trips per request');
for (const r of rows) {
  console.log(`${r.operation.padEnd(10)} ${String(r.concurrency).padStart(4)}  ${fmt(r.p50)}  ${fmt(r.p99)}    ${fmt(r.rawP50)}  ${r.ratio.toFixed(2).padStart(6)}x  ${r.roundTrips}`);
}
printInProcessBench(inProcessRows);
console.log('\nbefore the records core hardening (tests/bench/before.ts; recorded, not re-measured):');
console.log('operation  conc  p50÷raw  round trips per request');
for (const r of rows) {
  const before = BEFORE[r.operation];
  if (before) console.log(`${r.operation.padEnd(10)} ${String(r.concurrency).padStart(4)}  ${(before.ratio[r.concurrency] ?? Number.NaN).toFixed(2).padStart(6)}x  ${before.roundTrips}`);
}
console.log(`\nbaseline: bare GetItem  p50 ${percentile(raw, 50).toFixed(2)} ms, p99 ${percentile(raw, 99).toFixed(2)} ms`);
const getRow = rows.find((r) => r.operation === 'get' && r.concurrency === 1);
if (getRow) console.log(`GET /v1/records/{module}/{id} p50 ÷ bare GetItem p50: ${(getRow.p50 / percentile(raw, 50)).toFixed(2)}x`);
console.log('\n"raw p50": the DynamoDB calls that one request made, replayed bare and in sequence at the same concurrency,');
console.log('except the rows at concurrency 1 of transition, approve and rule run: each request\'s own DynamoDB time (paired);');
console.log('"p50÷raw": what HTTP, auth, validation, access rules and Keiro code add on top of the database.');
console.log('"rule run": one event through the workflow-rules consumer (rules Query, context, a task through the records core,');
console.log('an in-app notification, the action markers and the execution log), called in-process (no HTTP).');

const { timer, buckets } = await timerBenches(deps);
const shadow = await shadowBenches(deps);

// The journey's event path on a database of its own (onOwnDatabase): its stream reads would otherwise pay
// for the hundreds of thousands of records the benches above wrote.
const journeyEvents = await onOwnDatabase(deps, 'journeys');
await seedDemo(journeyEvents.deps);
const journeys = await benchJourneys(deps, call, { endpoint: dynamo.endpoint, region: journeyEvents.region }, journeyEvents.deps, Math.min(SAMPLES, 100));
printJourneyBench(journeys);

await closeDemo();
base.destroy();
await dynamo.stop();
const bill = await billBench();

// The one table: every figure of this run beside its baseline, its ratio and its goal's verdict.
console.log(
  renderRunTable(
    [
      ...inProcessRows.map((r) => operationFigure(areaOf(r.operation), r, 'in-process')),
      // The rule run is invoked in-process (a bus event to the consumer); the other rows went over the local HTTP API.
      ...rows.map((r) => operationFigure(areaOf(r.operation), r, r.operation === 'rule run' ? 'in-process' : 'HTTP')),
      ...cadenceFigures(cadence, timer),
      ...timerFigures(timer),
      ...timerBucketFigures(buckets),
      ...roundTripFigures(tripCounts),
      ...journeyFigures(journeys),
      ...shadowFigures(shadow),
      ...billFigures(bill),
      ...bundleFigures(bundles),
    ],
    { samples: SAMPLES, loadRuns: LOAD_RUNS },
  ),
);
