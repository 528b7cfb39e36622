import { describe, expect, it } from 'vitest';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import { TRAVEL_CUSTOMER_JOURNEY as demo } from '../../../shared/domain/journey/demo.js';
import { addCustomerRecord, moveByHand, onEvent, onTimer, startInstance, validateJourneyDefinition, type JourneyInstance } from '../../../shared/domain/journey/engine.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';

const modules = (name: string) => standardModule(name);
const T = (h: number) => new Date(Date.parse('2027-03-01T09:00:00.000Z') + h * 3_600_000).toISOString();
const start = () => startInstance(demo, 'j1', 1, 'lead-1', { lastName: 'Sato' }, T(0))!;
const moved = (out: ReturnType<typeof onEvent>) => {
  if (!out || !('entered' in out)) throw new Error('expected a move');
  return out;
};

describe('the travel customer journey', () => {
  it('is valid against the standard modules', () => {
    expect(validateJourneyDefinition(demo, modules, 'JP')).toEqual([]);
  });

  it('starts a lead in Lead with its task and a 14-day deadline', () => {
    const s = start();
    expect(s.instance).toMatchObject({ state: 'lead', version: 1, customerIds: ['lead-1'] });
    expect(s.entered.onEnter[0]).toMatchObject({ type: 'createTask', subject: 'Contact the new lead' });
    expect(s.timers).toEqual([{ transitionId: 'gone-quiet', wakeAt: T(14 * 24), version: 1 }]);
  });

  it('qualifies, converts, follows the customer to the contact, escalates a High case, and completes the trip', () => {
    let instance: JourneyInstance = start().instance;
    const q = moved(onEvent(demo, instance, { kind: 'record.updated', module: 'Leads', fields: { leadStatus: 'Qualified' }, changes: [{ field: 'leadStatus', old: 'New', new: 'Qualified' }], at: T(1) }));
    expect(q.instance.state).toBe('prospect');
    expect(q.entered.onEnter).toEqual([{ type: 'convertLead' }]);
    const c = moved(onEvent(demo, q.instance, { kind: 'lead.converted', at: T(1) }));
    instance = addCustomerRecord(c.instance, 'contact-1');
    expect(instance).toMatchObject({ state: 'customer', customerIds: ['lead-1', 'contact-1'] });
    expect(onEvent(demo, instance, { kind: 'record.created', module: 'Cases', fields: { priority: 'Low' }, at: T(2) })).toBeUndefined();
    const e = moved(onEvent(demo, instance, { kind: 'record.created', module: 'Cases', fields: { priority: 'High' }, at: T(2) }));
    expect(e.instance.state).toBe('escalated');
    expect(e.entered.onEnter[0]).toMatchObject({ type: 'escalate', setFields: { status: 'Escalated' } });
    const back = moved(onEvent(demo, e.instance, { kind: 'record.updated', module: 'Cases', fields: { status: 'Closed' }, changes: [{ field: 'status', old: 'Escalated', new: 'Closed' }], at: T(5) }));
    const trip = moved(onEvent(demo, back.instance, { kind: 'record.updated', module: 'TravelApplications', fields: {}, changes: [{ field: 'stage', old: 'Documents Review', new: 'Completed' }], at: T(100) }));
    expect(trip.instance.state).toBe('trip-completed');
    expect(trip.instance.visits.map((v) => v.state)).toEqual(['lead', 'prospect', 'customer', 'escalated', 'customer', 'trip-completed']);
    expect(trip.instance.visits[1]).toMatchObject({ reason: 'Leads.leadStatus became Qualified', enteredAt: T(1), leftAt: T(1) });
  });

  it('follows up by call when the survey gets no reply, but not after a reply; a stale timer ends quietly', () => {
    const atTrip: JourneyInstance = { ...start().instance, state: 'trip-completed', visits: [{ state: 'trip-completed', enteredAt: T(0), reason: 'x' }], version: 5 };
    const sent = onEvent(demo, atTrip, { kind: 'email', event: 'sent', at: T(1) })!;
    expect('entered' in sent).toBe(false);
    expect(sent.timers).toEqual([{ transitionId: 'no-reply', wakeAt: T(1 + 72), version: 5 }]);
    const noReply = onTimer(demo, sent.instance, { transitionId: 'no-reply', version: 5 }, T(73));
    expect(noReply?.instance.state).toBe('follow-up-call');
    const replied = moved(onEvent(demo, sent.instance, { kind: 'email', event: 'replied', at: T(10) }));
    expect(replied.instance.state).toBe('promoter');
    expect(onTimer(demo, replied.instance, { transitionId: 'no-reply', version: 5 }, T(73))).toBeUndefined();
    expect(onTimer(demo, sent.instance, { transitionId: 'no-reply', version: 4 }, T(73))).toBeUndefined();
  });

  it('moves to Nurture after 14 days in Lead, and not if the lead moved on first', () => {
    const s = start();
    expect(onTimer(demo, s.instance, { transitionId: 'gone-quiet', version: 1 }, T(14 * 24))?.instance.state).toBe('nurture');
    const q = moved(onEvent(demo, s.instance, { kind: 'record.updated', module: 'Leads', fields: {}, changes: [{ field: 'leadStatus', old: 'New', new: 'Qualified' }], at: T(2) }));
    expect(onTimer(demo, q.instance, { transitionId: 'gone-quiet', version: 1 }, T(14 * 24))).toBeUndefined();
  });

  it('lets a person move an instance to any state, with the reason in its history', () => {
    const m = moveByHand(demo, start().instance, 'promoter', T(3), 'Referred three friends');
    expect(m.instance.visits.at(-1)).toEqual({ state: 'promoter', enteredAt: T(3), reason: 'Moved by hand: Referred three friends' });
    expect(() => moveByHand(demo, start().instance, 'nowhere', T(3))).toThrow(/No state nowhere/);
  });
});

describe('journey definitions are validated at save', () => {
  const errors = (patch: Record<string, unknown>) => validateJourneyDefinition(JourneyDefinitionSchema.parse({ ...demo, ...patch }), modules, 'JP').map((e) => e.path);
  it.each([
    ['an unknown module', { modules: ['Leads', 'Spaceships'] }, 'modules.1'],
    ['a missing initial state', { initial: 'nowhere' }, 'initial'],
    ['a missing goal', { goal: 'nowhere' }, 'goal'],
    ['a transition to a missing state', { transitions: [...demo.transitions, { id: 'bad', from: ['lead'], to: 'nowhere', trigger: { type: 'manual' } }] }, `transitions.${demo.transitions.length}.to`],
    ['a trigger on a module the journey does not span', { transitions: [...demo.transitions, { id: 'bad', from: ['lead'], to: 'promoter', trigger: { type: 'recordCreated', module: 'Calls' } }] }, `transitions.${demo.transitions.length}.trigger.module`],
    ['a value outside a picklist', { transitions: [...demo.transitions, { id: 'bad', from: ['lead'], to: 'promoter', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Dreaming' } }] }, `transitions.${demo.transitions.length}.trigger.to`],
    ['an unreachable state', { states: [...demo.states, { id: 'island', name: 'Island' }] }, `states.${demo.states.length}.id`],
    ['a created record not linked to the customer', { states: demo.states.map((s) => (s.id === 'customer' ? { ...s, onEnter: [{ type: 'createRecord', module: 'TravelApplications', customerField: 'destination', fields: {} }] } : s)) }, 'states.3.onEnter.0.customerField'],
  ])('refuses %s', (_name, patch, path) => {
    expect(errors(patch)).toContain(path);
  });
});
