import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateKeys, signToken } from '../../infra/local/auth-keys.js';
import { runStory } from '../../infra/local/demo/story.js';
import { currentInvocation, type LocalInvocation } from '../../infra/local/invocations.js';
import { startLocalCloud } from '../../infra/local/local-cloud.js';
import { localServiceFactories } from '../../infra/local/services.js';
import { readSentMail } from '../../infra/local/ses-local.js';
import { groupsFor } from '../../infra/local/seed-users.js';
import type { LocalExecution } from '../../infra/local/sfn/index.js';
import { EVENT_SOURCE, type BusEvent } from '../../shared/events/envelope.js';
import { meterCalls, meterCapacity } from './capacity-meter.js';
import { usd } from './figures.js';
import { readLambdaMemory } from './lambda-memory.js';
import { PRICES } from './prices.js';

/** The story's time waits 2 and 3 days; at 3,600× (as `npm run demo` runs it) they take 48 and 72 s. */
const TIME_SCALE = 3600;
const STORIES = 1_000_000;
/**
 * The million stories are spread over a month. Their waits then share the timer's one-minute buckets
 * (stepfunctions/timer/README.md "Scale"): Step Functions bills transitions per bucket with waits, at
 * most one bucket per minute of the month, not per story. One story alone opens a bucket per wait.
 */
const PERIOD_MINUTES = 30 * 24 * 60;

export interface BillLine {
  service: string;
  /** What was counted for one story, in the service's billing units. */
  units: string;
  /** List price for STORIES such stories. */
  usd: number;
}

export interface BillBench {
  stories: number;
  lines: BillLine[];
  /** Everything but SES: what Keiro itself costs. */
  keiroUsd: number;
  sesUsd: number;
  emails: number;
  /** Write units by kind of item (PK/SK prefixes), computed from the items the calls named: where the writes go. */
  writesByKind: Array<{ kind: string; items: number; writeUnits: number; averageBytes: number }>;
  /** Lambda invocations and billed duration by function (see `lambdaBilledMs`), with the measured parts of it and the wall time beside. */
  lambdas: Array<{ fn: string; memoryMb: number; invocations: number; billedMs: number; cpuMs: number; awsCalls: number; wallMs: number }>;
  /** GB-seconds had the wall time on this machine been billed: shown beside, not billed (it moves with the machine's load). */
  wallGbSeconds: number;
  /** The story's API calls, and those of poll attempts that found nothing yet: left out of the bill with all they caused (a front end would not poll as often). */
  apiRequests: number;
  missedPollRequests: number;
  wallSeconds: number;
}

/** Lambda bills each invocation's duration rounded up to the millisecond. */
const billedMs = (ms: number): number => Math.max(1, Math.ceil(ms / PRICES.lambda.billedMsGranularity) * PRICES.lambda.billedMsGranularity);

/**
 * What one AWS API call (DynamoDB, SES, a Step Functions start) keeps a handler waiting in the region,
 * stated rather than measured: DynamoDB answers in single-digit milliseconds, a transaction or an SES
 * send in a few tens. The local stand-ins' latency is no guide (DynamoDB Local is a JVM on a loaded machine).
 */
export const AWS_CALL_MS = 10;
/** Lambda gives a function CPU in proportion to its memory: one vCPU at 1,769 MB. */
export const MB_PER_VCPU = 1769;

/**
 * The duration Lambda would bill for an invocation, from what does not move with this machine's load:
 * its handler's own CPU time, stretched by the share of a vCPU its memory buys (a core here counts as
 * one vCPU), plus AWS_CALL_MS for each AWS call it waited on. Wall time here is mostly waiting for one of
 * two shared cores (it moved 15× between a quiet and a loaded run), so it is only shown beside.
 */
export const lambdaBilledMs = (invocation: Pick<LocalInvocation, 'cpuMs' | 'awsCalls'>, memoryMb: number): number =>
  billedMs(invocation.cpuMs * Math.max(1, MB_PER_VCPU / memoryMb) + invocation.awsCalls * AWS_CALL_MS);

/**
 * One customer's story (the demo's, infra/local/demo/story.ts), driven through the API of the local
 * cloud as `npm start` runs it, and every billable unit it caused, priced at AWS list prices
 * (prices.json) for a million such stories.
 * 1. Start the local cloud (in memory, at 3,600×) with the meters: DynamoDB consumed capacity on every
 *    call, each Lambda invocation (area, consumer, timer task) with its handler time, each execution's
 *    transitions, each bus event.
 * 2. Let the seed's events settle, zero the meters, run the story, let what follows it settle.
 * 3. Price: Lambda at each function's memory as the CDK app declares it, its duration from CPU time and
 *    AWS calls (lambdaBilledMs); Step Functions per bucket of the month the million stories share (PERIOD_MINUTES).
 * Counted as one invocation each at the minimum billed duration, as they do not run locally: the outbox
 * Pipe's enrichment Lambda (one per outbox event, an upper bound: the Pipe batches up to 10).
 */
export const benchBill = async (): Promise<BillBench> => {
  const wallStart = performance.now();
  const memory = readLambdaMemory();
  const invocations: LocalInvocation[] = [];
  const executions: LocalExecution[] = [];
  const events: BusEvent[] = [];
  let metering = false;
  const onInvoke = (invocation: LocalInvocation) => {
    if (metering) invocations.push({ ...invocation, fn: memory.serviceOfTask(invocation.fn) ?? invocation.fn });
  };
  let apiGatewayRequests = 0;
  const onApiInvoke = (invocation: LocalInvocation) => {
    if (metering) apiGatewayRequests += 1;
    onInvoke(invocation);
  };
  const home = mkdtempSync(join(tmpdir(), 'keiro-bill-'));
  const cloud = await startLocalCloud(
    { home, inMemory: true, apiPort: 0, sesPort: 0, dynamodbPort: 0, tableName: 'keiro-bill', region: PRICES.region, timeScale: TIME_SCALE, seed: true, onApiInvoke },
    localServiceFactories({
      onInvoke,
      onExecution: (execution) => {
        if (!metering) return;
        executions.push(execution);
        // In AWS, a StartExecution call of the invocation that asked for it.
        const invocation = currentInvocation();
        if (invocation) invocation.awsCalls += 1;
      },
      onRouter: (router) => router.tap((event) => void (metering && events.push(event))),
    }),
  );
  try {
    await cloud.settled();
    const capacity = meterCapacity(cloud.deps.db);
    meterCalls(cloud.deps.ses);
    const keys = await loadOrCreateKeys(home);
    const tokenFor = (userId: string) => signToken(keys, { sub: userId, email: `${userId}@keiro.example`, groups: groupsFor(userId) });
    const mailBefore = (await readSentMail(cloud.sesUrl)).length;
    capacity.reset();
    metering = true;
    let apiRequests = 0;
    const missedPolls = new Set<string>();
    await runStory({ baseUrl: cloud.apiUrl, sesEndpoint: cloud.sesUrl, tokenFor, timeScale: TIME_SCALE, onCall: () => void (apiRequests += 1), onPollMissed: (id) => void missedPolls.add(id) });
    await cloud.settled();
    metering = false;
    // A poll attempt that found nothing: its request, its Lambda and its DynamoDB reads are no part of the story.
    const missed = invocations.filter((i) => i.correlationId !== undefined && missedPolls.has(i.correlationId));
    const billed = invocations.filter((i) => !missed.includes(i));
    const readUnits = capacity.readUnits - missed.reduce((n, i) => n + i.readUnits, 0);
    const writeUnits = capacity.writeUnits + capacity.refusedWriteUnits - missed.reduce((n, i) => n + i.writeUnits, 0);
    if (writeUnits !== capacity.writeUnits + capacity.refusedWriteUnits) throw new Error('A poll attempt wrote to DynamoDB: polls are reads only');
    const emails = (await readSentMail(cloud.sesUrl)).length - mailBefore;

    const perStories = (perStory: number, usdPerMillion: number) => (perStory * STORIES * usdPerMillion) / 1_000_000;
    const outboxEvents = events.filter((e) => e.source === EVENT_SOURCE).length;
    const byFn = new Map<string, BillBench['lambdas'][number]>();
    const outboxInvocations = Array.from({ length: outboxEvents }, () => ({ fn: 'keiro-outbox', ms: 0, cpuMs: 0, awsCalls: 0 }));
    for (const invocation of [...billed, ...outboxInvocations]) {
      const memoryMb = memory.memoryMbOf(invocation.fn);
      const entry = byFn.get(invocation.fn) ?? { fn: invocation.fn, memoryMb, invocations: 0, billedMs: 0, cpuMs: 0, awsCalls: 0, wallMs: 0 };
      byFn.set(invocation.fn, {
        ...entry,
        invocations: entry.invocations + 1,
        billedMs: entry.billedMs + lambdaBilledMs(invocation, memoryMb),
        cpuMs: entry.cpuMs + invocation.cpuMs,
        awsCalls: entry.awsCalls + invocation.awsCalls,
        wallMs: entry.wallMs + billedMs(invocation.ms),
      });
    }
    const lambdas = [...byFn.values()].sort((a, b) => b.billedMs * b.memoryMb - a.billedMs * a.memoryMb);
    const lambdaInvocations = lambdas.reduce((n, l) => n + l.invocations, 0);
    const gbSecondsOf = (ms: (l: BillBench['lambdas'][number]) => number) => lambdas.reduce((n, l) => n + (ms(l) / 1000) * (l.memoryMb / 1024), 0);
    const gbSeconds = gbSecondsOf((l) => l.billedMs);
    const cpuMs = lambdas.reduce((n, l) => n + l.cpuMs, 0);
    const awsCalls = lambdas.reduce((n, l) => n + l.awsCalls, 0);
    const transitions = executions.reduce((n, e) => n + e.visitedStates.length, 0);
    const bucketsAtScale = Math.min(executions.length * STORIES, PERIOD_MINUTES);
    const transitionsAtScale = executions.length > 0 ? (transitions / executions.length) * bucketsAtScale : 0;

    const lines: BillLine[] = [
      { service: 'DynamoDB writes', units: `${writeUnits.toFixed(1)} WRU (${capacity.refusedWriteUnits.toFixed(1)} of refused conditional writes, computed)`, usd: perStories(writeUnits, PRICES.dynamodb.usdPerMillionWriteRequestUnits) },
      { service: 'DynamoDB reads', units: `${readUnits.toFixed(1)} RRU`, usd: perStories(readUnits, PRICES.dynamodb.usdPerMillionReadRequestUnits) },
      { service: 'Lambda requests', units: `${lambdaInvocations} invocations`, usd: perStories(lambdaInvocations, PRICES.lambda.usdPerMillionRequests) },
      {
        service: 'Lambda duration',
        units: `${gbSeconds.toFixed(3)} GB-s: the handlers' CPU ${cpuMs.toFixed(0)} ms (× ${MB_PER_VCPU} MB ÷ memory) + ${awsCalls} AWS calls × ${AWS_CALL_MS} ms (wall time on this machine would be ${gbSecondsOf((l) => l.wallMs).toFixed(3)} GB-s)`,
        usd: gbSeconds * STORIES * PRICES.lambda.usdPerGbSecond,
      },
      {
        service: 'Step Functions',
        units: `${transitions} transitions in ${executions.length} executions (alone: ${usd((transitions * STORIES * PRICES.stepFunctions.usdPerThousandTransitions) / 1000)}); at scale ${Math.round(transitionsAtScale).toLocaleString('en-US')} in all, the month's ${bucketsAtScale.toLocaleString('en-US')} buckets shared`,
        usd: (transitionsAtScale * PRICES.stepFunctions.usdPerThousandTransitions) / 1000,
      },
      { service: 'EventBridge', units: `${events.length} events`, usd: perStories(events.length, PRICES.eventBridge.usdPerMillionEvents) },
      { service: 'EventBridge Pipes', units: `${outboxEvents} requests`, usd: perStories(outboxEvents, PRICES.pipes.usdPerMillionRequests) },
      { service: 'API Gateway', units: `${apiGatewayRequests - missed.length} requests`, usd: perStories(apiGatewayRequests - missed.length, PRICES.apiGateway.usdPerMillionRequests) },
      { service: 'SES', units: `${emails} emails`, usd: (emails * STORIES * PRICES.ses.usdPerThousandEmails) / 1000 },
    ];
    const sesUsd = lines.find((l) => l.service === 'SES')!.usd;
    return {
      stories: STORIES,
      lines,
      keiroUsd: lines.reduce((n, l) => n + l.usd, 0) - sesUsd,
      sesUsd,
      emails,
      writesByKind: [...capacity.byKind].map(([kind, v]) => ({ kind, items: v.items, writeUnits: v.writeUnits, averageBytes: v.bytes / v.items })).sort((a, b) => b.writeUnits - a.writeUnits),
      lambdas,
      wallGbSeconds: gbSecondsOf((l) => l.wallMs),
      apiRequests,
      missedPollRequests: missed.length,
      wallSeconds: (performance.now() - wallStart) / 1000,
    };
  } finally {
    await cloud.stop();
  }
};

export const printBillBench = (b: BillBench): void => {
  console.log(`\nThe bill of one customer's story (the demo's, through the API of the local cloud; ${b.wallSeconds.toFixed(0)} s): AWS list prices, ${PRICES.region}, read ${PRICES.read} (tests/bench/prices.json), for ${b.stories.toLocaleString('en-US')} stories`);
  for (const l of b.lines) console.log(`   ${l.service.padEnd(18)} ${usd(l.usd).padStart(12)}   per story: ${l.units}`);
  console.log(`   ${'Keiro (all but SES)'.padEnd(18)} ${usd(b.keiroUsd).padStart(12)}   vs SES ${usd(b.sesUsd)} for the story's ${b.emails} emails: ${(b.keiroUsd / b.sesUsd).toFixed(2)}×`);
  console.log(`   (the story made ${b.apiRequests} API calls; the ${b.missedPollRequests} of poll attempts that found nothing yet are left out, with their Lambda time and DynamoDB reads)`);
  console.log(`Lambda by function (invocations, billed ms = CPU × ${MB_PER_VCPU} MB ÷ memory + AWS calls × ${AWS_CALL_MS} ms, memory; wall ms here beside):`);
  for (const l of b.lambdas) {
    console.log(`   ${l.fn.padEnd(34)} ${String(l.invocations).padStart(5)} ×  ${String(l.billedMs).padStart(7)} ms (CPU ${l.cpuMs.toFixed(0).padStart(5)} ms, ${String(l.awsCalls).padStart(4)} calls)  ${l.memoryMb} MB   wall ${String(l.wallMs).padStart(7)} ms`);
  }
  console.log('DynamoDB writes by kind of item (computed from the items written: count, write units, average size):');
  for (const w of b.writesByKind.slice(0, 20)) console.log(`   ${w.kind.padEnd(34)} ${String(w.items).padStart(5)} items  ${w.writeUnits.toFixed(0).padStart(6)} WRU  ${w.averageBytes.toFixed(0).padStart(6)} B`);
};
