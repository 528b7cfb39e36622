import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgeReplayer } from '../../../shared/adapters/eventbridge.js';
import type { DeadLetterItem } from '../../../shared/db/dead-letters-repo.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { matchesPattern, validatePattern } from '../../../shared/events/event-pattern.js';
import { busEventFromEntry } from '../../../shared/events/outbox.js';
import { REPLAY_SOURCE, replayEntry, rulePattern } from '../../../shared/events/replay.js';

const event: BusEvent = {
  version: '0', id: 'bus-1', source: 'keiro', 'detail-type': 'record.updated', account: '1', region: 'ap-northeast-1', time: '2026-05-01T09:00:00Z', resources: [],
  detail: { metadata: { id: 'E1', occurredAt: '2026-05-01T09:00:00.000Z', actor: 'u', correlationId: 'c' }, data: { module: 'Leads' } },
};
const deadLetter = { id: 'DL1', subscriptionId: 'lead-updates', event } as DeadLetterItem;
const leadUpdates = { id: 'lead-updates', pattern: { 'detail-type': ['record.updated'], detail: { data: { module: ['Leads'] } } } };
const allUpdates = { id: 'all-updates', pattern: { source: ['keiro'], 'detail-type': ['record.updated'] } };
const sesBounces = { id: 'ses-bounces', pattern: { source: ['aws.ses'], 'detail-type': ['Bounce'] } };

describe('rule patterns and replays', () => {
  const replayed = busEventFromEntry(replayEntry(deadLetter));

  it('a replay carries the original event with a marker naming the dead letter and subscription', () => {
    expect(replayed.source).toBe(REPLAY_SOURCE);
    expect(replayed['detail-type']).toBe('record.updated');
    expect(replayed.detail).toEqual({ ...event.detail, replay: { deadLetterId: 'DL1', subscriptionId: 'lead-updates' } });
  });

  it('reaches only the subscription it is addressed to', () => {
    for (const s of [leadUpdates, allUpdates, sesBounces]) validatePattern(rulePattern(s));
    expect(matchesPattern(rulePattern(leadUpdates), replayed)).toBe(true);
    expect(matchesPattern(rulePattern(allUpdates), replayed)).toBe(false);
    expect(matchesPattern(rulePattern(sesBounces), replayed)).toBe(false);
  });

  it('ordinary events still match as before; a pattern without source means source keiro', () => {
    expect(matchesPattern(rulePattern(leadUpdates), event)).toBe(true);
    expect(matchesPattern(rulePattern(allUpdates), event)).toBe(true);
    expect(matchesPattern(rulePattern(leadUpdates), { ...event, source: 'elsewhere' })).toBe(false);
    expect(matchesPattern(rulePattern(sesBounces), { ...event, source: 'aws.ses', 'detail-type': 'Bounce' })).toBe(true);
  });
});

describe('AWS replayer', () => {
  const eventBridge = mockClient(EventBridgeClient);
  afterEach(() => eventBridge.reset());

  it('puts the replay on the bus', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    await eventBridgeReplayer(new EventBridgeClient({ region: 'ap-northeast-1' }), 'keiro-dev').replay(deadLetter);
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ EventBusName: 'keiro-dev', Source: REPLAY_SOURCE, DetailType: 'record.updated' });
    expect(JSON.parse(entry?.Detail ?? '{}').replay).toEqual({ deadLetterId: 'DL1', subscriptionId: 'lead-updates' });
  });

  it('fails when the bus refuses the entry', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] });
    await expect(eventBridgeReplayer(new EventBridgeClient({ region: 'ap-northeast-1' }), 'keiro-dev').replay(deadLetter)).rejects.toThrow(/InternalFailure/);
  });
});
