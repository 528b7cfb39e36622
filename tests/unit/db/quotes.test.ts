import { describe, expect, it } from 'vitest';
import { quoteKeys, recordKeys, subjectPartition } from '../../../shared/db/keys.js';
import { newRecordPartitions, recordPartitionsIn, relatedRecordQuotes } from '../../../shared/db/quotes.js';

const contact = { id: 'C1', module: 'Contacts', fields: { firstName: 'Mika' }, version: 1 };
const application = { id: 'A1', module: 'TravelApplications', fields: { name: 'Mika Honda' }, version: 4 };

describe('quotes: the way from a subject to the items that copy its values', () => {
  it('a stored value quotes every record view it carries, at any depth, each once', () => {
    const kioskState = { results: { 'find-customer': { records: [contact] }, 'load-contact': { record: contact }, 'load-application': { record: application } }, values: { phone: '+81 90' } };
    expect(recordPartitionsIn(kioskState).sort()).toEqual(['REC#Contacts#C1', 'REC#TravelApplications#A1']);
    // Only record views: an id with a module but no fields (a reference) carries no values.
    expect(recordPartitionsIn({ subject: { type: 'record', id: 'C1', module: 'Contacts' }, items: [{ id: 'x' }], n: 3, s: 'REC#Contacts#C1' })).toEqual([]);
  });

  it('a saved state quotes only the records it did not carry before', () => {
    expect(newRecordPartitions({ a: contact }, { a: contact, b: application })).toEqual(['REC#TravelApplications#A1']);
    expect(newRecordPartitions({ a: contact }, { a: contact })).toEqual([]);
  });

  it('a task quotes the record it is about when the pair is set or changes, never otherwise', () => {
    const tasks = { name: 'Tasks' };
    const about = { relatedModule: 'TravelApplications', relatedId: 'A1', subject: 'Draft the travel plan for Mika Honda' };
    const [created] = relatedRecordQuotes('T', tasks, 'K1', undefined, about);
    expect(created).toEqual({ Put: { TableName: 'T', Item: { ...quoteKeys.key('REC#TravelApplications#A1', { PK: 'REC#Tasks#K1' }), entity: 'Quote', targetPK: 'REC#Tasks#K1' } } });
    expect(relatedRecordQuotes('T', tasks, 'K1', about, { ...about, subject: 'Done' })).toEqual([]);
    expect(relatedRecordQuotes('T', tasks, 'K1', about, { ...about, relatedId: 'A2' })).toHaveLength(1);
    expect(relatedRecordQuotes('T', tasks, 'K1', undefined, { subject: 'No record', relatedId: 'A1' })).toEqual([]);
    expect(relatedRecordQuotes('T', tasks, 'K1', undefined, { relatedModule: 'TravelApplications', relatedId: '' })).toEqual([]);
  });

  it('a quote names its target item, or a whole partition, and two targets never share a key', () => {
    expect(quoteKeys.key('REC#Contacts#C1', { PK: 'NOTIF#u-ops', SK: '2026#E1' })).toEqual({ PK: 'QUOTED#REC#Contacts#C1', SK: 'NOTIF#u-ops|2026#E1' });
    expect(quoteKeys.key('REC#Contacts#C1', { PK: 'KIOSKRUN#R1' })).toEqual({ PK: 'QUOTED#REC#Contacts#C1', SK: 'KIOSKRUN#R1|*' });
    expect(quoteKeys.key('S', { PK: 'A#B', SK: 'C' }).SK).not.toBe(quoteKeys.key('S', { PK: 'A', SK: 'B#C' }).SK);
  });

  it("a notification's subject is quoted when its text may copy the subject's values; a record partition reads back as its module and id", () => {
    expect(subjectPartition({ type: 'request', id: 'R1', module: 'Arrangements' })).toBe('REC#Arrangements#R1');
    expect(subjectPartition({ type: 'kiosk-run', id: 'K1' })).toBe('KIOSKRUN#K1');
    expect(subjectPartition({ type: 'record', id: 'R1' })).toBeUndefined();
    expect(subjectPartition({ type: 'approval', id: 'P1', module: 'Deals' })).toBeUndefined();
    expect(subjectPartition({ type: 'nope', id: 'x' })).toBeUndefined();
    expect(recordKeys.ofPartition(recordKeys.key('Contacts', 'C1').PK)).toEqual({ module: 'Contacts', id: 'C1' });
    expect(recordKeys.ofPartition('KIOSKRUN#K1')).toBeUndefined();
    expect(recordKeys.ofPartition('REC#Contacts#C1#x')).toBeUndefined();
  });
});
