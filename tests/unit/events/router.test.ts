import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createEventRouter } from '../../../infra/local/events/router.js';
import type { InvocationListener, LocalInvocation } from '../../../infra/local/invocations.js';
import { executionIdFor } from '../../../infra/local/events/targets.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { busEventFromEntry } from '../../../shared/events/outbox.js';
import { replayEntry } from '../../../shared/events/replay.js';
import type { DeadLetterItem } from '../../../shared/db/dead-letters-repo.js';
import { flakyConsumer, recordingConsumer } from '../../fixtures/events/consumers.js';
import { FLAKY, fixtureSubscriptions, RECORDER } from '../../fixtures/events/subscriptions.js';
import { unitDeps } from '../../support/unit-deps.js';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const busEvent = (detailType: string, module: string, id = 'E1'): BusEvent => ({
  version: '0', id: `bus-${id}`, source: 'keiro', 'detail-type': detailType, account: '0', region: 'ap-northeast-1', time: '2026-05-01T09:00:00Z', resources: [],
  detail: { metadata: { id, occurredAt: '2026-05-01T09:00:00.000Z', actor: 'u', correlationId: 'c' }, data: { module } },
});

const setup = (overrides: { startStateMachine?: (w: string, i: unknown, o: { executionId?: string }) => Promise<unknown>; onInvoke?: InvocationListener } = {}) => {
  ddb.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
  ddb.on(PutCommand).resolves({});
  const recorder = recordingConsumer(RECORDER);
  const flaky = flakyConsumer(FLAKY);
  const waits: number[] = [];
  const router = createEventRouter({
    deps: unitDeps(),
    subscriptions: fixtureSubscriptions,
    consumers: [recorder, flaky],
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 1_000 },
    sleep: async (ms) => void waits.push(ms),
    log: () => undefined,
    ...overrides,
  });
  return { router, recorder, flaky, waits };
};

describe('local event router: matching', () => {
  it('routes an event to every subscription whose pattern matches, and to no other', () => {
    const { router } = setup();
    const ids = (e: BusEvent) => router.matching(e).map((s) => s.id);
    expect(ids(busEvent('record.updated', 'Leads'))).toEqual(['fixture-record-updates', 'fixture-lead-updates']);
    expect(ids(busEvent('record.updated', 'Contacts'))).toEqual(['fixture-record-updates']);
    expect(ids(busEvent('record.deleted', 'Leads'))).toEqual(['fixture-workflow']);
    expect(ids(busEvent('record.created', 'Leads'))).toEqual([]);
    expect(ids({ ...busEvent('record.updated', 'Leads'), source: 'other' })).toEqual([]);
  });

  it('routes a replay to the one subscription it is addressed to', () => {
    const { router } = setup();
    const replay = busEventFromEntry(replayEntry({ id: 'DL1', subscriptionId: 'fixture-lead-updates', event: busEvent('record.updated', 'Leads') }));
    expect(router.matching(replay).map((s) => s.id)).toEqual(['fixture-lead-updates']);
  });

  it('refuses a table that cannot work: unknown consumer, duplicate id, malformed pattern', () => {
    const deps = unitDeps();
    const sub = fixtureSubscriptions[0]!;
    expect(() => createEventRouter({ deps, subscriptions: [sub], consumers: [] })).toThrow(/not in functions\/events\/consumers.ts/);
    expect(() => createEventRouter({ deps, subscriptions: [sub, sub], consumers: [recordingConsumer(RECORDER)] })).toThrow(/Two subscriptions/);
    expect(() => createEventRouter({ deps, subscriptions: [{ ...sub, pattern: { 'detail-type': 'record.updated' } }], consumers: [recordingConsumer(RECORDER)] })).toThrow();
  });
});

describe('local event router: delivery', () => {
  it('delivers to consumers and tells taps about every event', async () => {
    const { router, recorder, flaky } = setup();
    flaky.failing = false;
    const seen: string[] = [];
    router.tap((e) => seen.push(e['detail-type']));
    const reports = await router.publish(busEvent('record.updated', 'Leads'));
    expect(reports.map((r) => [r.subscriptionId, r.outcome, r.attempts])).toEqual([
      ['fixture-record-updates', 'delivered', 1],
      ['fixture-lead-updates', 'delivered', 1],
    ]);
    expect(recorder.handled).toHaveLength(1);
    expect(flaky.handled).toHaveLength(1);
    expect(seen).toEqual(['record.updated']);
  });

  it('retries a failing target with exponential backoff, then stores a dead letter', async () => {
    const { router, flaky, waits } = setup();
    const [, report] = await router.publish(busEvent('record.updated', 'Leads'));
    expect(flaky.calls).toBe(3);
    expect(waits).toEqual([10, 20]);
    expect(report).toMatchObject({ subscriptionId: 'fixture-lead-updates', outcome: 'dead-lettered', attempts: 3 });
    const stored = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item as DeadLetterItem;
    expect(stored).toMatchObject({
      entity: 'DeadLetter', status: 'pending', subscriptionId: 'fixture-lead-updates', target: { kind: 'consumer', consumer: FLAKY },
      eventId: 'E1', eventName: 'record.updated', attempts: 3, error: { name: 'Error', message: `${FLAKY} is down` }, origin: 'local-router',
      GSI1PK: 'DEADLETTERS',
    });
    expect(stored.expiresAt - Date.parse('2026-05-01T09:00:00.000Z') / 1000).toBe(14 * 24 * 3600);
  });

  it("tells onInvoke of each consumer attempt (a Lambda invocation in AWS), failed ones too, and of no state machine's start", async () => {
    const heard: LocalInvocation[] = [];
    const { router } = setup({ onInvoke: (i) => void heard.push(i), startStateMachine: async () => undefined });
    await router.publish(busEvent('record.updated', 'Leads'));
    await router.publish(busEvent('record.deleted', 'Leads'));
    expect(heard.map((i) => i.fn).sort()).toEqual([`keiro-${FLAKY}`, `keiro-${FLAKY}`, `keiro-${FLAKY}`, `keiro-${RECORDER}`]);
    expect(heard.every((i) => i.ms >= 0 && i.readUnits === 0 && i.writeUnits === 0)).toBe(true);
  });

  it('starts a state machine with the event detail, named after subscription and event', async () => {
    const started: Array<[string, unknown, unknown]> = [];
    const { router } = setup({ startStateMachine: async (w, i, o) => void started.push([w, i, o]) });
    const event = busEvent('record.deleted', 'Leads');
    await router.publish(event);
    expect(started).toEqual([['fixture-cleanup', event.detail, { executionId: executionIdFor('fixture-workflow', 'E1') }]]);
    expect(executionIdFor('x'.repeat(100), 'E1')).toMatch(/^[A-Za-z0-9_-]{80}$/);
  });

  it('dead-letters a state-machine target when no runner is configured', async () => {
    const { router } = setup();
    const [report] = await router.publish(busEvent('record.deleted', 'Leads'));
    expect(report?.outcome).toBe('dead-lettered');
  });

  it('drain() waits for deliveries nobody awaited', async () => {
    const { router, recorder } = setup();
    void router.publish(busEvent('record.updated', 'Contacts'));
    await router.drain();
    expect(recorder.handled).toHaveLength(1);
  });
});
