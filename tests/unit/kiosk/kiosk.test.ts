import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KioskDefinitionSchema, type KioskDefinition } from '../../../shared/domain/kiosk/definition.js';
import { validateKioskDefinition } from '../../../shared/domain/kiosk/validate.js';
import { recordResult, renderKioskScreen, resolveAction, settle, startRun, submitKioskScreen, type KioskRunState, type KioskStep } from '../../../shared/domain/kiosk/run.js';
import { renderText } from '../../../shared/domain/kiosk/references.js';
import { ScreenNotCurrent } from '../../../shared/domain/wizard/session.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import { UPDATE_TRAVEL_INFO_KIOSK as demo } from '../../../infra/local/seed-kiosks.js';

const modules = (name: string) => standardModule(name);
const kiosk = (input: unknown): KioskDefinition => KioskDefinitionSchema.parse(input);
const errorPaths = (def: unknown) => validateKioskDefinition(kiosk(def), modules).map((e) => e.path);

const minimal = {
  name: 'Find a lead',
  runners: { orgRoles: ['member'] },
  start: 'ask',
  nodes: [
    { kind: 'screen', id: 'ask', title: 'Email', components: [{ kind: 'input', id: 'email', type: 'email', label: 'Email', required: true }], next: 'find' },
    { kind: 'action', id: 'find', action: { type: 'findRecords', module: 'Leads', where: { email: { ref: 'values.email' } } }, next: 'done' },
    { kind: 'end', id: 'done', message: 'Found {{results.find.count}}' },
  ],
};
const withNodes = (nodes: unknown[]) => ({ ...minimal, nodes });
const [ask, find, done] = minimal.nodes as [any, any, any];

describe('kiosk definitions are validated at save', () => {
  it('an email address recipient (a customer) needs its own text: the colleagues\' message is never sent to it', () => {
    const told = { kind: 'end', id: 'done', message: 'Told' };
    const notify = (customer?: object) => ({ kind: 'action', id: 'tell', action: { type: 'notify', channels: ['email'], to: [{ kind: 'email', address: { ref: 'values.email' } }], subject: 'S', message: 'Internal: {{values.email}}', ...(customer ? { customer } : {}) }, next: 'done' });
    expect(errorPaths(withNodes([{ ...ask, next: 'tell' }, notify(), told]))).toEqual(['nodes.1.action.customer']);
    expect(errorPaths(withNodes([{ ...ask, next: 'tell' }, notify({ subject: 'Hello', message: 'We have your request' }), told]))).toEqual([]);
  });

  it('accepts the demo and a minimal kiosk', () => {
    expect(validateKioskDefinition(demo, modules)).toEqual([]);
    expect(errorPaths(minimal)).toEqual([]);
  });
  it.each([
    ['a dangling edge', withNodes([ask, { ...find, next: 'nowhere' }, done]), 'nodes.1.next'],
    ['a missing start', { ...minimal, start: 'nope' }, 'start'],
    ['a duplicate node id', withNodes([ask, find, done, { ...done }]), 'nodes.3.id'],
    ['an unreachable node', withNodes([ask, find, done, { kind: 'end', id: 'orphan' }]), 'nodes.3.id'],
    ['a path that never ends', withNodes([ask, { ...find, next: 'loop' }, { kind: 'screen', id: 'loop', title: 'Loop', components: [{ kind: 'display', id: 'msg', text: 'again' }], next: 'ask' }, done]), 'nodes.0'],
    ['a loop without a screen', withNodes([ask, { ...find, next: 'again' }, { kind: 'decision', id: 'again', branches: [{ when: { all: [{ field: 'results.find.count', op: 'gt', value: 100 }] }, next: 'done' }], otherwise: 'find' }, done]), 'nodes.1'],
    ['a reference to nothing', withNodes([ask, { ...find, action: { ...find.action, where: { email: { ref: 'values.mail' } } } }, done]), 'nodes.1.action'],
    ['a reference not known on every way', withNodes([
      { kind: 'screen', id: 'ask', title: 'Email', components: [{ kind: 'input', id: 'email', type: 'email', label: 'Email', required: false }], next: 'branch' },
      { kind: 'decision', id: 'branch', branches: [{ when: { all: [{ field: 'values.email', op: 'isNotEmpty' }] }, next: 'find' }], otherwise: 'done' },
      find,
      { kind: 'end', id: 'done', message: 'Found {{results.find.count}}' },
    ]), 'nodes.3.message'],
    ['an unknown module', withNodes([ask, { ...find, action: { ...find.action, module: 'Spaceships' } }, done]), 'nodes.1.action.module'],
    ['an unknown field', withNodes([ask, { ...find, action: { ...find.action, where: { shoeSize: 1 } } }, done]), 'nodes.1.action.where.shoeSize'],
    ['finding by a field with no index', withNodes([ask, { ...find, action: { ...find.action, where: { lastName: { ref: 'values.email' } } } }, done]), 'nodes.1.action.where.lastName'],
    ['associating through a field that is no lookup', withNodes([ask, { kind: 'action', id: 'find', action: { type: 'associate', module: 'Contacts', id: 'x', field: 'email', targetId: 'y' }, next: 'done' }, { kind: 'end', id: 'done' }]), 'nodes.1.action.field'],
    ['writing a read-only field', withNodes([ask, { kind: 'action', id: 'find', action: { type: 'createRecord', module: 'Leads', fields: { lastName: 'X', converted: true } }, next: 'done' }, { kind: 'end', id: 'done' }]), 'nodes.1.action.fields.converted'],
    ['a choice from something that is not a findRecords result', withNodes([ask, find, { kind: 'screen', id: 'pick', title: 'Pick', components: [{ kind: 'choice', id: 'pick', label: 'Pick', from: 'values.email', optionLabel: '{{id}}' }], next: 'done' }, done].map((n: any) => (n.id === 'find' ? { ...n, next: 'pick' } : n))), 'nodes.2.components.0.from'],
    ['a component id used on two screens', withNodes([ask, { ...find, next: 'again' }, { kind: 'screen', id: 'again', title: 'Again', components: [{ kind: 'input', id: 'email', type: 'email', label: 'Email' }], next: 'done' }, done]), 'nodes.2.components.0.id'],
    ['a picklist input without options', withNodes([{ ...ask, components: [{ kind: 'input', id: 'email', type: 'picklist', label: 'Pick' }] }, find, done]), 'nodes.0.components.0.options'],
    ['nobody to run it', { ...minimal, runners: {} }, 'runners'],
  ])('refuses %s', (_name, def, path) => {
    expect(errorPaths(def)).toContain(path);
  });
});

const NOW = new Date('2026-06-01T00:00:00Z');

/** Drives a run as the edge does, with a fake executor in place of the records core. */
const drive = (def: KioskDefinition, state: KioskRunState, execute: (step: Extract<KioskStep, { kind: 'action' }>, state: KioskRunState) => unknown): { state: KioskRunState; step: KioskStep } => {
  let at = settle(def, state, NOW);
  while (at.step.kind === 'action') at = settle(def, recordResult(at.state, at.step.node, execute(at.step, at.state)), NOW);
  return at;
};

const contact = { id: 'c1', module: 'Contacts', fields: { firstName: 'Haruto', lastName: 'Sato', phone: '090-1111-2222', email: 'haruto@example.jp' } };
const trip = { id: 't1', module: 'TravelApplications', fields: { name: 'Okinawa', contactId: 'c1', destination: 'Okinawa', departureDate: '2027-03-20', returnDate: '2027-03-24' } };

const fakeRecords = (applications: unknown[]) => (step: Extract<KioskStep, { kind: 'action' }>, state: KioskRunState) => {
  const action = resolveAction(step.node.action, state);
  if (action.type === 'findRecords') {
    const records = action.module === 'Contacts' ? [contact] : applications;
    return { records, count: records.length, ids: records.map((r: any) => r.id) };
  }
  if (action.type === 'getRecord') return { record: action.module === 'Contacts' ? contact : trip };
  if (action.type === 'updateRecord') return { record: { ...trip, fields: { ...trip.fields, ...(action.fields as object) } } };
  return { done: true };
};

describe('a kiosk run (Update travel info)', () => {
  const answer = (state: KioskRunState, step: KioskStep, values: Record<string, unknown>) => {
    if (step.kind !== 'screen') throw new Error(`expected a screen, got ${step.kind}`);
    const out = submitKioskScreen(step.node, state, step.node.id, values, 'JP');
    if ('errors' in out) throw new Error(JSON.stringify(out.errors));
    return out.state;
  };

  it('a choice never has a blank label: an application with no destination or dates says so', () => {
    const empty = { ...trip, id: 't2', fields: { name: 'Mika Honda', contactId: trip.fields.contactId } };
    let at = drive(demo, startRun(demo), fakeRecords([trip, empty]));
    at = drive(demo, answer(at.state, at.step, { phone: '+81 90-1111-2222' }), fakeRecords([trip, empty]));
    const pick = renderKioskScreen((at.step as any).node, at.state);
    const labels = (pick.components[0] as { options: Array<{ value: string; label: string }> }).options.map((o) => [o.value, o.label]);
    expect(labels).toEqual([
      ['t1', 'Okinawa: Okinawa, 2027-03-20 → 2027-03-24'],
      ['t2', 'Mika Honda: no destination yet, no dates yet → open'],
    ]);
  });

  it('renders a fallback for an empty reference, and a choice with an empty label shows the record id', () => {
    expect(renderText('{{a|none yet}} and {{b | nothing}}', { a: '', b: 'B' })).toBe('none yet and B');
    const screen = renderKioskScreen(
      { kind: 'screen', id: 's', title: 'S', next: 'x', components: [{ kind: 'choice', id: 'c', label: 'C', required: true, from: 'results.f.records', optionLabel: '{{fields.name}}, {{fields.city}}' }] },
      { ...startRun(demo), results: { f: { records: [{ id: 'r1', fields: {} }] } } } as KioskRunState,
    );
    expect((screen.components[0] as { options: unknown[] }).options).toEqual([{ value: 'r1', label: 'r1' }]);
  });

  it('goes phone → pick a trip → new dates (pre-filled) → done, with the results flowing on', () => {
    let at = drive(demo, startRun(demo), fakeRecords([trip]));
    expect(at.step.kind).toBe('screen');
    at = drive(demo, answer(at.state, at.step, { phone: '+81 90-1111-2222' }), fakeRecords([trip]));
    const pick = renderKioskScreen((at.step as any).node, at.state);
    expect(pick.components[0]).toMatchObject({ kind: 'choice', options: [{ value: 't1', label: 'Okinawa: Okinawa, 2027-03-20 → 2027-03-24' }] });
    at = drive(demo, answer(at.state, at.step, { application: 't1' }), fakeRecords([trip]));
    const dates = renderKioskScreen((at.step as any).node, at.state);
    expect(dates.components.map((c) => [c.id, c.value ?? c.text])).toEqual([
      ['currentDates', 'Okinawa: 2027-03-20 → 2027-03-24'],
      ['departureDate', '2027-03-20'],
      ['returnDate', '2027-03-24'],
      ['changeDetails', undefined],
    ]);
    at = drive(demo, answer(at.state, at.step, { departureDate: '2027-04-01', returnDate: '2027-04-05', changeDetails: 'Cherry blossoms' }), fakeRecords([trip]));
    expect(at.step).toMatchObject({ kind: 'end', result: { title: 'Dates changed' } });
    expect((at.step as any).result.message).toContain('2027-04-01 → 2027-04-05');
    expect(at.state.path).toEqual(['customer-phone', 'find-customer', 'has-customer', 'find-applications', 'has-applications', 'pick-application', 'load-application', 'load-contact', 'new-dates', 'update-application', 'notify']);
  });

  it('ends with a clear screen when the customer has no travel applications', () => {
    let at = drive(demo, startRun(demo), fakeRecords([]));
    at = drive(demo, answer(at.state, at.step, { phone: '09011112222' }), fakeRecords([]));
    expect(at.step).toMatchObject({ kind: 'end', result: { title: 'No travel applications', message: 'Haruto Sato has no travel applications yet: there are no dates to change.' } });
  });

  it('refuses another screen (409), an option that was not offered, and values not on the screen', () => {
    let at = drive(demo, startRun(demo), fakeRecords([trip]));
    const node = (at.step as any).node;
    expect(() => submitKioskScreen(node, at.state, 'new-dates', {}, 'JP')).toThrow(ScreenNotCurrent);
    expect(submitKioskScreen(node, at.state, 'customer-phone', { phone: 'call me maybe' }, 'JP')).toEqual({ errors: [{ path: 'values.phone', message: 'Must be a valid phone number' }] });
    expect(submitKioskScreen(node, at.state, 'customer-phone', { phone: '0311112222', extra: 1 }, 'JP')).toEqual({ errors: [{ path: 'values.extra', message: 'Not a field of this screen' }] });
    at = drive(demo, answer(at.state, at.step, { phone: '09011112222' }), fakeRecords([trip]));
    expect(submitKioskScreen((at.step as any).node, at.state, 'pick-application', { application: 'someone-elses-trip' }, 'JP')).toEqual({ errors: [{ path: 'values.application', message: 'Not one of the options' }] });
  });

  it('renders templates as plain text from any path, and nothing for what is missing (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(renderText('{{x}}-{{y.z}}-{{missing.path}}', { x: a, y: { z: b } })).toBe(`${a}-${b}-`);
      }),
    );
  });
});
