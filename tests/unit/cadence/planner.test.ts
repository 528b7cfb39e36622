import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CadenceDefinitionSchema, type CadenceDefinition, type CadenceDefinitionInput } from '../../../shared/domain/cadence/definition.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';
import { calendarFor, nextStep, type EmailEvents, type EnrollmentState, type StepRecord } from '../../../shared/domain/cadence/planner.js';
import { isInsideWindow } from '../../../shared/domain/cadence/send-window.js';

const demo = CadenceDefinitionSchema.parse(TRAVEL_INQUIRY_FOLLOW_UP);
const T0 = '2026-06-10T01:00:00.000Z';
const at = (iso: string) => () => new Date(iso);
const plus = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();

const enrollment = (steps: Record<string, StepRecord> = {}, overrides: Partial<EnrollmentState> = {}, definition: CadenceDefinition = demo): EnrollmentState => ({
  status: 'active',
  enrolledAt: T0,
  steps,
  calendar: calendarFor(definition, 'Asia/Tokyo'),
  ...overrides,
});
const sent = (iso: string): StepRecord => ({ status: 'sent', at: iso });

describe('cadence planner: the demo cadence', () => {
  it('a new enrollment sends the thank-you email at once', () => {
    const plan = nextStep(demo, enrollment(), {}, at(T0));
    expect(plan.action).toMatchObject({ kind: 'send', step: { id: 'thank-you' }, dueAt: T0 });
  });

  it('after the thank-you, it waits for an open until the survey branch expires (14 days)', () => {
    const plan = nextStep(demo, enrollment({ 'thank-you': sent(T0) }), { 'thank-you': { sentAt: T0 } }, at(plus(T0, 1)));
    expect(plan).toEqual({ action: { kind: 'wait' }, wakeAt: plus(T0, 14 * 24) });
  });

  it('an open brings the survey at once', () => {
    const events = { 'thank-you': { sentAt: T0, openedAt: plus(T0, 3) } };
    const plan = nextStep(demo, enrollment({ 'thank-you': sent(T0) }), events, at(plus(T0, 3)));
    expect(plan.action).toMatchObject({ kind: 'send', step: { id: 'survey' }, dueAt: plus(T0, 3) });
  });

  it('never opened within 14 days: the survey is skipped, then its descendants, then the enrollment completes', () => {
    const later = at(plus(T0, 14 * 24));
    const e1 = enrollment({ 'thank-you': sent(T0) });
    expect(nextStep(demo, e1, { 'thank-you': { sentAt: T0 } }, later).action).toMatchObject({ kind: 'skip', step: { id: 'survey' }, reason: 'conditionNotMet' });
    const e2 = enrollment({ 'thank-you': sent(T0), survey: { status: 'skipped', at: plus(T0, 14 * 24) } });
    expect(nextStep(demo, e2, {}, later).action).toMatchObject({ kind: 'skip', step: { id: 'follow-up' }, reason: 'parentNotRun' });
    const e3 = enrollment({ ...e2.steps, 'follow-up': { status: 'skipped', at: plus(T0, 14 * 24) }, call: { status: 'skipped', at: plus(T0, 14 * 24) } });
    expect(nextStep(demo, e3, {}, later).action).toEqual({ kind: 'complete' });
  });

  it('no reply to the survey within 2 days: the follow-up goes out at the 2-day mark, not before', () => {
    const surveyAt = plus(T0, 5);
    const e = enrollment({ 'thank-you': sent(T0), survey: sent(surveyAt) });
    const events = { 'thank-you': { sentAt: T0, openedAt: plus(T0, 4) }, survey: { sentAt: surveyAt } };
    expect(nextStep(demo, e, events, at(plus(surveyAt, 47)))).toEqual({ action: { kind: 'wait' }, wakeAt: plus(surveyAt, 48) });
    expect(nextStep(demo, e, events, at(plus(surveyAt, 48))).action).toMatchObject({ kind: 'send', step: { id: 'follow-up' } });
  });

  it('a reply to the survey within 2 days means no follow-up', () => {
    const surveyAt = plus(T0, 5);
    const e = enrollment({ 'thank-you': sent(T0), survey: sent(surveyAt) });
    const events = { survey: { sentAt: surveyAt, repliedAt: plus(surveyAt, 30) } };
    expect(nextStep(demo, e, events, at(plus(surveyAt, 48))).action).toMatchObject({ kind: 'skip', step: { id: 'follow-up' }, reason: 'conditionNotMet' });
  });

  it('no reply to the follow-up within 2 days: a call task for the owner', () => {
    const e = enrollment({ 'thank-you': sent(T0), survey: sent(plus(T0, 5)), 'follow-up': sent(plus(T0, 53)) });
    expect(nextStep(demo, e, { 'follow-up': { sentAt: plus(T0, 53) } }, at(plus(T0, 101))).action).toMatchObject({ kind: 'createTask', step: { id: 'call', type: 'call' } });
  });

  it.each(['paused', 'completed', 'unenrolled'] as const)('a %s enrollment does nothing', (status) => {
    expect(nextStep(demo, enrollment({}, { status }), {}, at(T0))).toEqual({ action: { kind: 'none' } });
  });
});

const def = (input: Partial<CadenceDefinitionInput>): CadenceDefinition =>
  CadenceDefinitionSchema.parse({ name: 'T', module: 'Leads', sender: { name: 'S' }, steps: [], ...input });

describe('cadence planner: timing, windows and conditions', () => {
  const window = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

  it('a step due at 03:00 New York time waits for the window to open at 09:00 local (across the March DST change)', () => {
    const d = def({ sendWindow: window, steps: [{ id: 'a', type: 'email', subject: 's', text: 't', timing: { after: 'enrollment', amount: 2, unit: 'days' } }] });
    // Enrolled Saturday 7 March 2026, 03:00 EST (08:00 UTC); due Monday 03:00 EDT (07:00 UTC); window opens 09:00 EDT (13:00 UTC).
    const e = enrollment({}, { enrolledAt: '2026-03-07T08:00:00.000Z', calendar: calendarFor(d, 'America/New_York') }, d);
    expect(nextStep(d, e, {}, at('2026-03-09T07:00:00.000Z'))).toEqual({ action: { kind: 'wait' }, wakeAt: '2026-03-09T13:00:00.000Z' });
    expect(nextStep(d, e, {}, at('2026-03-09T13:00:00.000Z')).action).toMatchObject({ kind: 'send', dueAt: '2026-03-09T07:00:00.000Z' });
  });

  it('London in October: 2 business days from Friday 23rd 16:00 BST is Tuesday 27th 16:00 GMT; a holiday on Monday moves it to Wednesday', () => {
    const steps = [{ id: 'a', type: 'email' as const, subject: 's', text: 't', timing: { after: 'enrollment' as const, amount: 2, unit: 'businessDays' as const } }];
    const d = def({ sendWindow: window, steps });
    const e = enrollment({}, { enrolledAt: '2026-10-23T15:00:00.000Z', calendar: calendarFor(d, 'Europe/London') }, d);
    expect(nextStep(d, e, {}, at('2026-10-24T00:00:00.000Z')).wakeAt).toBe('2026-10-27T16:00:00.000Z');
    const h = def({ sendWindow: window, holidays: ['2026-10-26'], steps });
    const eh = enrollment({}, { enrolledAt: '2026-10-23T15:00:00.000Z', calendar: calendarFor(h, 'Europe/London') }, h);
    expect(nextStep(h, eh, {}, at('2026-10-24T00:00:00.000Z')).wakeAt).toBe('2026-10-28T16:00:00.000Z');
  });

  it('timing after the enrollment counts from it even for a child step, but never before the condition holds', () => {
    const d = def({
      steps: [
        { id: 'a', type: 'email', subject: 's', text: 't' },
        { id: 'b', type: 'task', subject: 'x', parent: 'a', timing: { after: 'enrollment', amount: 3, unit: 'hours' } },
      ],
    });
    const e = enrollment({ a: sent(plus(T0, 1)) }, {}, d);
    expect(nextStep(d, e, { a: { sentAt: plus(T0, 1) } }, at(plus(T0, 1)))).toEqual({ action: { kind: 'wait' }, wakeAt: plus(T0, 3) });
    expect(nextStep(d, e, { a: { sentAt: plus(T0, 1) } }, at(plus(T0, 3))).action).toMatchObject({ kind: 'createTask', dueAt: plus(T0, 3) });
  });

  it.each([
    ['clicked', { clickedAt: plus(T0, 2) }, 'send'],
    ['clicked', {}, 'wait'],
    ['bounced', { bouncedAt: plus(T0, 1) }, 'send'],
    ['notOpened', { openedAt: plus(T0, 2) }, 'skip'],
    ['notOpened', {}, 'send'],
    ['sent', {}, 'send'],
  ] as const)('condition %s with events %o → %s (48 h after the parent)', (event, events, kind) => {
    const within = event === 'notOpened' ? { within: { amount: 1, unit: 'days' as const } } : {};
    const d = def({
      steps: [
        { id: 'a', type: 'email', subject: 's', text: 't' },
        { id: 'b', type: 'email', subject: 's', text: 't', parent: 'a', condition: { event, ...within } },
      ],
    });
    const e = enrollment({ a: sent(T0) }, {}, d);
    expect(nextStep(d, e, { a: { sentAt: T0, ...events } as EmailEvents }, at(plus(T0, 48))).action.kind).toBe(kind);
  });

  it('property: a planned send is inside the window, never before its due time, never on a holiday; a wait wakes in the future', () => {
    const zones = fc.constantFrom('America/New_York', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney');
    const unit = fc.constantFrom('minutes', 'hours', 'days', 'businessDays') as fc.Arbitrary<'minutes' | 'hours' | 'days' | 'businessDays'>;
    fc.assert(
      fc.property(
        zones,
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.integer({ min: 0, max: 500 }),
        unit,
        fc.integer({ min: 0, max: 400 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
        (zone, enrolledMs, amount, u, elapsedHours, holidayOffsets) => {
          const enrolledAt = new Date(enrolledMs).toISOString();
          const holidays = holidayOffsets.map((o) => new Date(enrolledMs + o * 86_400_000).toISOString().slice(0, 10));
          const d = def({ sendWindow: window, holidays, steps: [{ id: 'a', type: 'email', subject: 's', text: 't', timing: { after: 'enrollment', amount, unit: u } }] });
          const e = enrollment({}, { enrolledAt, calendar: calendarFor(d, zone) }, d);
          const now = new Date(enrolledMs + elapsedHours * 3_600_000);
          const plan = nextStep(d, e, {}, () => now);
          if (plan.action.kind === 'send') {
            expect(isInsideWindow(now, e.calendar)).toBe(true);
            expect(now.getTime()).toBeGreaterThanOrEqual(new Date(plan.action.dueAt).getTime());
          } else {
            expect(plan.action.kind).toBe('wait');
            const wake = new Date(plan.wakeAt ?? '');
            expect(wake.getTime()).toBeGreaterThan(now.getTime());
            expect(isInsideWindow(wake, e.calendar)).toBe(true);
            expect(nextStep(d, e, {}, () => wake).action.kind).toBe('send');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
