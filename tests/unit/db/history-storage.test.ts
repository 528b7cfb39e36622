import fc from 'fast-check';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { buildHistoryItem, historyPut, readHistoryItem, storedHistoryItem, type HistoryChange, type HistoryInput, type HistoryItem } from '../../../shared/db/history.js';
import { busEntriesFromRecords, envelopeFromHistory } from '../../../shared/events/outbox.js';
import { itemBytes } from '../../bench/capacity-meter.js';

// A history entry is stored without its copies (shared/db/history.ts) and read back whole: by the
// history views, the outbox (the event contract), shadow runs and erasure.

const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'corr-1' };
const record = (fields: Record<string, unknown>, version = 1) => ({
  id: 'L1', module: 'Leads', version, ownerId: 'u-agent', fields, createdAt: '2026-05-01T09:00:00.000Z', updatedAt: '2026-05-01T09:00:00.000Z',
});
const entry = (overrides: Partial<HistoryInput> = {}): HistoryItem =>
  buildHistoryItem({
    subjectPK: 'REC#Leads#L1',
    subject: { type: 'record', id: 'L1', module: 'Leads' },
    eventId: '01HISTORY0000000000000001',
    eventName: 'record.updated',
    occurredAt: '2026-05-01T09:00:00.123Z',
    data: {},
    context: ctx,
    ...overrides,
  });

const fields = { lastName: 'Tanaka', email: 'yui@example.jp', leadStatus: 'New' };
const created = Object.entries(fields).map(([field, value]) => ({ field, old: null, new: value }));
const updated = [{ field: 'leadStatus', old: 'New', new: 'Contacted' }];
const deleted = Object.entries(fields).map(([field, value]) => ({ field, old: value, new: null }));

const cases: Array<[string, HistoryItem, string[]]> = [
  ['record.created: changes are the record, kept once as data.record', entry({ eventName: 'record.created', changes: created, data: { module: 'Leads', recordId: 'L1', changes: created, record: record(fields) } }), ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes', 'data.changes']],
  ['record.updated: changes kept once, in data', entry({ changes: updated, data: { module: 'Leads', recordId: 'L1', changes: updated, record: record({ ...fields, leadStatus: 'Contacted' }, 2) } }), ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes']],
  ['record.deleted: changes are the record, to nothing', entry({ eventName: 'record.deleted', changes: deleted, data: { module: 'Leads', recordId: 'L1', changes: deleted, record: record(fields, 3) } }), ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes', 'data.changes']],
  ['an event whose data carries no changes (a blueprint transition)', entry({ eventName: 'blueprint.transitioned', changes: updated, data: { recordId: 'L1', from: 'New', to: 'Contacted' } }), ['eventId', 'occurredAt', 'eventVersion', 'subject']],
  ['an event with no changes at all', entry({ eventName: 'approval.requested', data: { approvalId: 'A1' } }), ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes']],
  ['changes that differ from the event data\'s', entry({ changes: updated, data: { changes: [] } }), ['eventId', 'occurredAt', 'eventVersion', 'subject']],
  ['record.created whose changes are not its record\'s fields', entry({ eventName: 'record.created', changes: created.slice(1), data: { changes: created.slice(1), record: record(fields) } }), ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes']],
  ['a version other than 1', entry({ eventVersion: 2, data: { x: 1 } }), ['eventId', 'occurredAt', 'subject', 'changes']],
  ['a subject that is not the partition\'s record', entry({ subject: { type: 'record', id: 'L2', module: 'Leads' }, data: {} }), ['eventId', 'occurredAt', 'eventVersion', 'changes']],
  ['a team\'s entry (its subject is not derived from its partition)', entry({ subjectPK: 'TEAM#t1', subject: { type: 'team', id: 't1' }, eventName: 'team.created', data: { teamId: 't1' } }), ['eventId', 'occurredAt', 'eventVersion', 'changes']],
  ['an event id holding the key separator', entry({ eventId: 'evt#1.rule-1', data: {} }), ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes']],
];

const absent = (stored: Record<string, unknown>, path: string): boolean =>
  path.startsWith('data.') ? !(path.slice(5) in (stored.data as Record<string, unknown>)) : !(path in stored);

describe('a history entry as the table stores it', () => {
  it.each(cases)('%s: reads back whole, without the copies it can derive', (_scenario, full, dropped) => {
    const stored = storedHistoryItem(full) as unknown as Record<string, unknown>;
    expect(readHistoryItem(storedHistoryItem(full))).toStrictEqual(full);
    const left = ['eventId', 'occurredAt', 'eventVersion', 'subject', 'changes', 'data.changes'].filter((path) => absent(stored, path));
    expect(left.filter((path) => !(path === 'data.changes' && !('changes' in (full.data as object))))).toEqual(dropped);
  });

  it('keeps what the stream filter, the keys and the indexes need', () => {
    const stored = storedHistoryItem(cases[0]![1]);
    expect(stored).toMatchObject({ PK: 'REC#Leads#L1', SK: 'HIST#2026-05-01T09:00:00.123Z#01HISTORY0000000000000001', entity: 'History', eventName: 'record.created', GSI3PK: expect.any(String), GSI3SK: expect.any(String) });
  });

  it('reads an entry stored whole (written before) as it is', () => {
    for (const [, full] of cases) expect(readHistoryItem(full)).toStrictEqual(full);
  });

  it('brings a typical record entry under 1 KB, a write unit, where the whole one is over', () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`field${i}`, `a value of some length ${i}`]));
    const full = entry({ eventName: 'record.created', changes: Object.entries(many).map(([field, value]) => ({ field, old: null, new: value })), data: { module: 'Leads', recordId: 'L1', changes: Object.entries(many).map(([field, value]) => ({ field, old: null, new: value })), record: record(many) } });
    expect(itemBytes(full)).toBeGreaterThan(1024);
    expect(itemBytes(storedHistoryItem(full))).toBeLessThan(1024);
  });

  it('is what a history Put writes', () => {
    const input: HistoryInput = { subjectPK: 'REC#Leads#L1', subject: { type: 'record', id: 'L1', module: 'Leads' }, eventId: 'e1', eventName: 'record.updated', occurredAt: '2026-05-01T09:00:00.123Z', changes: updated, data: { changes: updated }, context: ctx };
    expect(historyPut('t', input).Put?.Item).toStrictEqual(storedHistoryItem(buildHistoryItem(input)));
  });

  it('publishes the same event as the whole entry (the outbox reads the stream image of the stored one)', () => {
    for (const [, full] of cases) {
      const image = marshall(storedHistoryItem(full) as unknown as Record<string, unknown>, { removeUndefinedValues: true });
      const [entryOnBus] = busEntriesFromRecords([{ eventID: 's1', eventName: 'INSERT', dynamodb: { NewImage: image } }]);
      expect(JSON.parse(entryOnBus!.Detail)).toStrictEqual(JSON.parse(JSON.stringify(envelopeFromHistory(full))));
    }
  });

  it('round-trips any entry: stored, then read, it is the entry', () => {
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }));
    const change: fc.Arbitrary<HistoryChange> = fc.record({ field: fc.constantFrom('a', 'b', 'c', 'email'), old: value, new: value });
    const fieldValues = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'email'), value, { maxKeys: 4 });
    const arbitrary = fc
      .record({
        eventName: fc.constantFrom('record.created', 'record.updated', 'record.deleted', 'blueprint.transitioned'),
        eventId: fc.stringMatching(/^[0-9A-Z#.]{1,12}$/),
        eventVersion: fc.constantFrom(1, 2),
        subjectId: fc.constantFrom('L1', 'L2'),
        changes: fc.option(fc.array(change, { maxLength: 3 }), { nil: undefined }),
        recordFields: fc.option(fieldValues, { nil: undefined }),
        dataChanges: fc.constantFrom('same', 'none', 'whole-record', 'other'),
      })
      .map((a) => {
        const wholeRecord = Object.entries(a.recordFields ?? {}).map(([field, v]) => (a.eventName === 'record.deleted' ? { field, old: v, new: null } : { field, old: null, new: v }));
        const changes = a.dataChanges === 'whole-record' ? wholeRecord : a.changes;
        const dataChanges = a.dataChanges === 'same' || a.dataChanges === 'whole-record' ? { changes: changes ?? [] } : a.dataChanges === 'other' ? { changes: [] } : {};
        return entry({
          eventName: a.eventName,
          eventId: a.eventId,
          eventVersion: a.eventVersion,
          subject: { type: 'record', id: a.subjectId, module: 'Leads' },
          ...(changes ? { changes } : {}),
          data: { ...dataChanges, ...(a.recordFields ? { record: record(a.recordFields) } : {}) },
        });
      });
    fc.assert(
      fc.property(arbitrary, (full) => {
        expect(readHistoryItem(storedHistoryItem(full))).toStrictEqual(full);
        expect(itemBytes(storedHistoryItem(full))).toBeLessThanOrEqual(itemBytes(full));
      }),
    );
  });
});
