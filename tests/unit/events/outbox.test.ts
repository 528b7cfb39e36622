import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import { buildHistoryItem } from '../../../shared/db/history.js';
import { OUTBOX_ENTITY } from '../../../shared/db/table-definition.js';
import { validatePattern } from '../../../shared/events/event-pattern.js';
import { busEntriesFromRecords, busEventFromEntry, isOutboxRecord, OUTBOX_PIPE_FILTER, type OutboxStreamRecord } from '../../../shared/events/outbox.js';
import { handler as enricher } from '../../../functions/events/outbox-enricher.handler.js';

const history = buildHistoryItem({
  subjectPK: 'REC#Leads#L1',
  subject: { type: 'record', id: 'L1', module: 'Leads' },
  eventId: '01HISTORY0000000000000001',
  eventName: 'record.updated',
  occurredAt: '2026-05-01T09:00:00.123Z',
  changes: [{ field: 'leadStatus', old: 'New', new: 'Contacted' }],
  data: { module: 'Leads', recordId: 'L1', changes: [{ field: 'leadStatus', old: 'New', new: 'Contacted' }], note: null },
  context: { actor: 'u-agent', via: 'api', correlationId: 'corr-1', causationId: 'cause-1' },
});

const streamRecord = (eventName: string, item: object): OutboxStreamRecord => ({
  eventID: `e-${eventName}`,
  eventName,
  dynamodb: { NewImage: marshall(item as Record<string, unknown>, { removeUndefinedValues: true }) as Record<string, unknown>, SequenceNumber: '100' },
});

const expectedEnvelope = {
  metadata: {
    id: '01HISTORY0000000000000001',
    occurredAt: '2026-05-01T09:00:00.123Z',
    actor: 'u-agent',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    version: 1,
    via: 'api',
    subject: { type: 'record', id: 'L1', module: 'Leads' },
  },
  data: { module: 'Leads', recordId: 'L1', changes: [{ field: 'leadStatus', old: 'New', new: 'Contacted' }], note: null },
};

describe('outbox filter', () => {
  it('is a valid EventBridge pattern on the history entity', () => {
    expect(() => validatePattern(OUTBOX_PIPE_FILTER)).not.toThrow();
    expect(OUTBOX_PIPE_FILTER).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: [OUTBOX_ENTITY] } } } });
  });

  it.each([
    ['a new history entry', streamRecord('INSERT', history), true],
    ['a history entry modified (never happens, but not an event)', streamRecord('MODIFY', history), false],
    ['a history entry removed', { eventName: 'REMOVE', dynamodb: {} }, false],
    ['a new record item', streamRecord('INSERT', { PK: 'REC#Leads#L1', SK: 'REC', entity: 'Record' }), false],
    ['a new dead letter', streamRecord('INSERT', { PK: 'DEADLETTER#1', SK: 'DEADLETTER', entity: 'DeadLetter' }), false],
  ])('passes %s: %s', (_scenario, record, passes) => {
    expect(isOutboxRecord(record)).toBe(passes);
  });
});

describe('outbox transform', () => {
  it('turns a history INSERT into a PutEvents entry: source keiro, detail-type = event name, detail = envelope', () => {
    const entries = busEntriesFromRecords([streamRecord('INSERT', { PK: 'x', SK: 'y', entity: 'Record' }), streamRecord('INSERT', history)]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ Source: 'keiro', DetailType: 'record.updated', Time: new Date('2026-05-01T09:00:00.123Z') });
    expect(JSON.parse(entries[0]!.Detail)).toEqual(expectedEnvelope);
  });

  it('builds the event EventBridge would deliver to a target', () => {
    const [entry] = busEntriesFromRecords([streamRecord('INSERT', history)]);
    const event = busEventFromEntry(entry!, { id: 'bus-1', region: 'ap-northeast-1' });
    expect(event).toEqual({
      version: '0',
      id: 'bus-1',
      source: 'keiro',
      'detail-type': 'record.updated',
      account: '000000000000',
      region: 'ap-northeast-1',
      time: '2026-05-01T09:00:00Z',
      resources: [],
      detail: expectedEnvelope,
    });
  });

  it('refuses a history record without a NewImage or without its event fields', () => {
    expect(() => busEntriesFromRecords([{ eventName: 'INSERT', dynamodb: { NewImage: { entity: { S: 'History' } } } }])).toThrow(/not a well-formed history entry/);
  });
});

describe('Pipe enrichment Lambda', () => {
  it('returns one { detailType, time, detail } per history entry of the batch', async () => {
    const out = await enricher([streamRecord('INSERT', history), streamRecord('MODIFY', history)]);
    expect(out).toEqual([{ detailType: 'record.updated', time: '2026-05-01T09:00:00.123Z', detail: expectedEnvelope }]);
  });

  it('returns an empty list for an empty batch', async () => {
    expect(await enricher([])).toEqual([]);
  });
});
