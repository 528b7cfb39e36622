import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KioskDefinitionSchema } from '../../../shared/domain/kiosk/definition.js';
import { MAX_PREFETCHED_RECORDS, stretchNeeds, usesFoundRecords } from '../../../shared/domain/kiosk/lookahead.js';
import { composeRunId, MAX_RUN_ID_LENGTH, runIdHint, runIdUnique } from '../../../shared/domain/kiosk/run-id.js';
import { UPDATE_TRAVEL_INFO_KIOSK as demo } from '../../../infra/local/seed-kiosks.js';

/** A run's id names its kiosk version (a hint for the first batch read, never trusted over the run item). */
describe('kiosk run ids', () => {
  it('name the kiosk and version, and give back the unique part', () => {
    const id = composeRunId('01M969BX2DQKYDG7CAE1A6Y97H', '01JDEMOKIO0000000000000001', 3);
    expect(id).toBe('01M969BX2DQKYDG7CAE1A6Y97H.01JDEMOKIO0000000000000001.3');
    expect(runIdHint(id)).toEqual({ kioskId: '01JDEMOKIO0000000000000001', version: 3 });
    expect(runIdUnique(id)).toBe('01M969BX2DQKYDG7CAE1A6Y97H');
  });

  it('fall back to the plain id when the kiosk id would make it too long or ambiguous', () => {
    expect(composeRunId('01M969BX2DQKYDG7CAE1A6Y97H', 'k'.repeat(40), 1)).toBe('01M969BX2DQKYDG7CAE1A6Y97H');
    expect(composeRunId('01M969BX2DQKYDG7CAE1A6Y97H', 'a.b', 1)).toBe('01M969BX2DQKYDG7CAE1A6Y97H');
  });

  it.each(['01M969BX2DQKYDG7CAE1A6Y97H', 'a.b', 'a.b.0', 'a.b.01', 'a.b.1.2', '.b.1', 'a..1', 'a.b.-1', 'a.b.1e3', 'a.b.99999999999', 'a.b.__proto__'])('%s names no version', (id) => {
    expect(runIdHint(id)).toBeUndefined();
  });

  it('any id either names no version or round-trips, and always fits the route', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 1_000_000 }), (unique, kioskId, version) => {
        const id = composeRunId(unique, kioskId, version);
        const hint = runIdHint(id);
        if (id !== unique) expect(hint).toEqual({ kioskId, version });
        if (unique.length <= MAX_RUN_ID_LENGTH) expect(id.length).toBeLessThanOrEqual(MAX_RUN_ID_LENGTH);
      }),
    );
  });
});

describe('what the actions after a screen will touch (the first batch of a submit)', () => {
  it('the phone screen: both modules searched, no record known yet', () => {
    expect(stretchNeeds(demo, 'find-customer', { values: { phone: '+819011112222' }, results: {} })).toEqual({ modules: ['Contacts', 'TravelApplications'], written: [], records: [] });
  });

  it('the pick screen: the picked record from the answer; the contact only once the application is read', () => {
    expect(stretchNeeds(demo, 'load-application', { values: { application: 'T1' }, results: {} })).toEqual({ modules: ['TravelApplications', 'Contacts'], written: [], records: [{ module: 'TravelApplications', id: 'T1' }] });
    const afterLoad = { values: { application: 'T1' }, results: { 'load-application': { record: { fields: { contactId: 'C1' } } } } };
    expect(stretchNeeds(demo, 'load-application', afterLoad).records).toEqual([{ module: 'TravelApplications', id: 'T1' }, { module: 'Contacts', id: 'C1' }]);
  });

  it('the dates screen: the written module (its process state too) and the record its owner is told about', () => {
    expect(stretchNeeds(demo, 'update-application', { values: { application: 'T1' }, results: {} })).toEqual({ modules: ['TravelApplications'], written: ['TravelApplications'], records: [{ module: 'TravelApplications', id: 'T1' }] });
  });

  it('stops at screens, follows every branch of a decision, and skips ids that cannot be ids', () => {
    const def = KioskDefinitionSchema.parse({
      name: 'Branches',
      runners: { orgRoles: ['member'] },
      start: 'ask',
      nodes: [
        { kind: 'screen', id: 'ask', title: 'Ask', components: [{ kind: 'input', id: 'x', type: 'text', label: 'X' }], next: 'pick' },
        { kind: 'decision', id: 'pick', branches: [{ when: { all: [{ field: 'values.x', op: 'eq', value: 'a' }] }, next: 'a' }], otherwise: 'b' },
        { kind: 'action', id: 'a', action: { type: 'getRecord', module: 'Leads', id: { ref: 'values.x' } }, next: 'again' },
        { kind: 'action', id: 'b', action: { type: 'addActivity', activity: 'task', subject: 'S', relatedModule: 'Deals', relatedId: 'D1' }, next: 'again' },
        { kind: 'screen', id: 'again', title: 'Again', components: [{ kind: 'input', id: 'y', type: 'text', label: 'Y' }], next: 'later' },
        { kind: 'action', id: 'later', action: { type: 'getRecord', module: 'Accounts', id: 'A1' }, next: 'done' },
        { kind: 'end', id: 'done' },
      ],
    });
    expect(stretchNeeds(def, 'pick', { values: { x: { PK: 'USER#u-admin' } }, results: {} })).toEqual({ modules: ['Deals', 'Tasks', 'Leads'], written: ['Tasks'], records: [{ module: 'Deals', id: 'D1' }] });
    expect(stretchNeeds(def, 'pick', { values: { x: 'L1' }, results: {} }).records).toContainEqual({ module: 'Leads', id: 'L1' });
  });

  it('names at most one batch of records, however many a definition points at', () => {
    const owners = Array.from({ length: 20 }, (_, i) => ({ kind: 'recordOwner', module: 'Leads', id: `L${i}` }));
    const nodes = [
      { kind: 'screen', id: 'ask', title: 'Ask', components: [{ kind: 'input', id: 'x', type: 'text', label: 'X' }], next: 'n0' },
      ...Array.from({ length: 5 }, (_, i) => ({ kind: 'action', id: `n${i}`, action: { type: 'notify', channels: ['inApp'], to: owners.map((o) => ({ ...o, id: `${o.id}-${i}` })), subject: 'S', message: 'M' }, next: i === 4 ? 'done' : `n${i + 1}` })),
      { kind: 'end', id: 'done' },
    ];
    const def = KioskDefinitionSchema.parse({ name: 'Many', runners: { orgRoles: ['member'] }, start: 'ask', nodes });
    expect(stretchNeeds(def, 'n0', { values: {}, results: {} }).records).toHaveLength(MAX_PREFETCHED_RECORDS);
  });
});

describe('when a find\'s records must be read before the run moves on', () => {
  it('the demo\'s phone screen: neither the count decisions nor the second find need the contacts\' records', () => {
    expect(usesFoundRecords(demo, 'has-customer', new Set(['find-customer']))).toBe(false);
    expect(usesFoundRecords(demo, 'has-applications', new Set(['find-customer', 'find-applications']))).toBe(false);
  });

  it('a decision or the next action that reads a record field, or the whole result, needs them', () => {
    const def = KioskDefinitionSchema.parse({
      name: 'Uses records',
      runners: { orgRoles: ['member'] },
      start: 'ask',
      nodes: [
        { kind: 'screen', id: 'ask', title: 'Ask', components: [{ kind: 'input', id: 'x', type: 'email', label: 'X' }], next: 'find' },
        { kind: 'action', id: 'find', action: { type: 'findRecords', module: 'Leads', where: { email: { ref: 'values.x' } } }, next: 'vip' },
        { kind: 'decision', id: 'vip', branches: [{ when: { all: [{ field: 'results.find.records.0.fields.rating', op: 'eq', value: 'Hot' }] }, next: 'tell' }], otherwise: 'hook' },
        { kind: 'action', id: 'tell', action: { type: 'notify', channels: ['inApp'], to: [{ kind: 'recordOwner', module: 'Leads', id: { ref: 'results.find.ids.0' } }], subject: 'S', message: 'M' }, next: 'done' },
        { kind: 'action', id: 'hook', action: { type: 'webhook', url: 'https://example.com/h', payload: { found: { ref: 'results.find' } } }, next: 'done' },
        { kind: 'end', id: 'done' },
      ],
    });
    expect(usesFoundRecords(def, 'vip', new Set(['find']))).toBe(true);
    expect(usesFoundRecords(def, 'tell', new Set(['find']))).toBe(false);
    expect(usesFoundRecords(def, 'hook', new Set(['find']))).toBe(true);
    expect(usesFoundRecords(def, 'vip', new Set())).toBe(false);
  });
});

