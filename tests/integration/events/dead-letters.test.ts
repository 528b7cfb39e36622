import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { claimReplay, getDeadLetter, listDeadLetters, requireDeadLetter } from '../../../shared/db/dead-letters-repo.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { createEventRouter, type EventRouter } from '../../../infra/local/events/router.js';
import { flakyConsumer, recordingConsumer } from '../../fixtures/events/consumers.js';
import { fixtureSubscriptions, FLAKY, RECORDER } from '../../fixtures/events/subscriptions.js';
import { createTestDeps } from '../../support/local-cloud.js';

const leadUpdate = (eventId: string): BusEvent => ({
  version: '0', id: `bus-${eventId}`, source: 'keiro', 'detail-type': 'record.updated', account: '000000000000', region: 'ap-northeast-1', time: '2026-05-01T09:00:00Z', resources: [],
  detail: {
    metadata: { id: eventId, occurredAt: '2026-05-01T09:00:00.000Z', actor: 'u-agent', correlationId: 'c' },
    data: { module: 'Leads', recordId: 'L1', changes: [{ field: 'leadStatus', old: 'New', new: 'Contacted' }] },
  },
});

describe('local router retries, dead letters and replay (DynamoDB Local)', () => {
  let deps: AppDeps;
  let router: EventRouter;
  const recorder = recordingConsumer(RECORDER);
  const flaky = flakyConsumer(FLAKY);

  beforeAll(async () => {
    deps = await createTestDeps();
    router = createEventRouter({ deps, subscriptions: fixtureSubscriptions, consumers: [recorder, flaky], retry: { attempts: 3, baseDelayMs: 5 }, log: () => undefined });
  });

  it('a consumer that throws is retried, then dead-lettered; the other subscriber is unaffected', async () => {
    const reports = await router.publish(leadUpdate('E-DL-1'));
    expect(flaky.calls).toBe(3);
    expect(recorder.handled).toHaveLength(1);
    const report = reports.find((r) => r.subscriptionId === 'fixture-lead-updates');
    expect(report).toMatchObject({ outcome: 'dead-lettered', attempts: 3 });

    const page = await listDeadLetters(deps, { limit: 10, status: 'pending' });
    expect(page.items.map((d) => d.id)).toEqual([report?.deadLetterId]);
    expect(page.items[0]).toMatchObject({ subscriptionId: 'fixture-lead-updates', eventId: 'E-DL-1', attempts: 3, error: { message: `${FLAKY} is down` } });
  });

  it('a replay that fails again marks the dead letter failed; one that succeeds marks it replayed and reaches only that target', async () => {
    const [deadLetter] = (await listDeadLetters(deps, { limit: 1 })).items;
    const callsBefore = flaky.calls;

    await router.replay(await claimReplay(deps, deadLetter!, 'u-admin'));
    expect(flaky.calls).toBe(callsBefore + 3);
    expect(await getDeadLetter(deps, deadLetter!.id)).toMatchObject({ status: 'failed', attempts: 6, replayCount: 1, lastReplayBy: 'u-admin' });

    flaky.failing = false;
    await router.replay(await claimReplay(deps, await requireDeadLetter(deps, deadLetter!.id), 'u-admin'));
    expect(await getDeadLetter(deps, deadLetter!.id)).toMatchObject({ status: 'replayed', replayCount: 2 });
    expect(flaky.handled.map((e) => e.detail.metadata.id)).toEqual(['E-DL-1']);
    expect(recorder.handled).toHaveLength(1);
    expect((await listDeadLetters(deps, { limit: 10, status: 'pending' })).items).toEqual([]);
  });
});
