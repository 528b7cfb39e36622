import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CadenceDefinitionSchema, type CadenceDefinition, type CadenceDefinitionInput } from '../../../shared/domain/cadence/definition.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';
import type { CadenceSubject } from '../../../shared/domain/shadow/cadence.js';
import type { ShadowChange } from '../../../shared/domain/shadow/change.js';
import { countOf, replayed, replayedInPages, samplesOf, shadowChange, timeFrom } from '../../support/shadow-changes.js';

const HOUR = 60;
const DAY = 24 * HOUR;
const at = timeFrom('2026-11-02T00:00:00.000Z', 60_000); // a Monday; in minutes
const END = at(60 * DAY);
const CADENCE_ID = 'CAD1';

const change = (minutes: number, over: Partial<ShadowChange> & Pick<ShadowChange, 'event' | 'recordId'>): ShadowChange => shadowChange({ at: at(minutes), module: 'Leads', ...over });
const created = (minutes: number, id: string, fields: Record<string, unknown>) => change(minutes, { event: 'record.created', recordId: id, fields: { timeZone: 'UTC', ...fields } });
const updated = (minutes: number, id: string, fields: Record<string, unknown>) => change(minutes, { event: 'record.updated', recordId: id, fields: { timeZone: 'UTC', ...fields } });
/** An `email.*` entry of a cadence, as enrollmentHistoryPut records it on the lead. */
const email = (minutes: number, event: string, id: string, stepId: string, cadenceId = CADENCE_ID) =>
  change(minutes, { event, recordId: id, data: { cadenceId, module: 'Leads', recordId: id, stepId, messageId: `m-${id}-${stepId}`, to: `${id}@example.com`, at: at(minutes) } });
const enrolledLive = (minutes: number, id: string, trigger: 'manual' | 'automatic', cadenceId = CADENCE_ID) => change(minutes, { event: 'cadence.enrolled', recordId: id, data: { cadenceId, module: 'Leads', recordId: id, trigger } });

const definitionOf = (over: Partial<CadenceDefinitionInput> = {}): CadenceDefinition => CadenceDefinitionSchema.parse({ ...TRAVEL_INQUIRY_FOLLOW_UP, ...over });
const subjectOf = (over: Partial<CadenceDefinitionInput> = {}, extra: Partial<CadenceSubject> = {}): CadenceSubject => ({ kind: 'cadence', cadenceId: CADENCE_ID, definition: definitionOf(over), orgTimeZone: 'Asia/Tokyo', ...extra });

const run = (subject: CadenceSubject, changes: ShadowChange[], published?: CadenceSubject) => replayed(subject, changes, END, { published }).result;

const THANK_YOU = 'Thank you for your travel inquiry, {{firstName}}';
const SURVEY = 'Where would you like to go, {{firstName}}?';
const FOLLOW_UP = 'Still dreaming of a trip, {{firstName}}?';
const CALL = 'Call {{firstName}} {{lastName}} about their travel wishes';

/** The demo's path for a lead who opened the thank-you and never replied, as the live cadence recorded it. */
const openedNeverReplied = (id: string, start: number): ShadowChange[] => [
  created(start, id, { email: `${id}@example.com`, firstName: id }),
  enrolledLive(start, id, 'automatic'),
  email(start + 1, 'email.sent', id, 'thank-you'),
  email(start + HOUR, 'email.opened', id, 'thank-you'),
  email(start + HOUR + 1, 'email.sent', id, 'survey'),
  email(start + HOUR + 2 * DAY + 1, 'email.sent', id, 'follow-up'),
];

describe('a cadence replayed (the live engines: meetsEnrollment, meetsUnenrollment, nextStep)', () => {
  it('enrolls by its criteria on creation and sends the first email at once, counted by its template subject', () => {
    const result = run(subjectOf(), [created(0, 'L1', { email: 'l1@example.com' }), created(5, 'L2', {})]);
    expect(countOf(result, 'enrollment', 'Travel inquiry follow-up')).toBe(1);
    expect(countOf(result, 'email', THANK_YOU)).toBe(1);
    expect(samplesOf(result, 'email', THANK_YOU)[0]).toMatchObject({ record: { module: 'Leads', id: 'L1' }, outcome: 'ran', at: at(0), actions: [{ index: 0, type: 'email', status: 'done', detail: THANK_YOU }] });
    expect(samplesOf(result, 'enrollment', 'Travel inquiry follow-up')[0]).toMatchObject({ sourceEvent: 'record.created', reason: 'Matches the enrollment criteria of cadence Travel inquiry follow-up' });
  });

  it('a branch on the reaction to an email the live cadence never sent depends on the customer, with everything after it', () => {
    const result = run(subjectOf(), [created(0, 'L1', { email: 'l1@example.com' })]);
    expect(result.limits.dependsOnCustomer).toBe(1);
    expect(countOf(result, 'skipped', 'Depends on the customer: Destination survey')).toBe(1);
    expect(countOf(result, 'skipped', 'Depends on the customer: Follow-up')).toBe(1);
    expect(countOf(result, 'skipped', 'Depends on the customer: Call the lead')).toBe(1);
    expect(countOf(result, 'email', SURVEY)).toBe(0);
    // Decided when the planner would decide it: when the 14 days to open it are over.
    expect(samplesOf(result, 'skipped', 'Depends on the customer: Destination survey')[0]!.at).toBe(at(14 * DAY));
  });

  it('follows the recorded reactions of the customer: opened → survey; no reply in 2 days → follow-up; no reply in 2 more → call', () => {
    const result = run(subjectOf(), openedNeverReplied('L1', 0));
    expect(result.limits.dependsOnCustomer).toBe(0);
    expect(samplesOf(result, 'email', SURVEY).map((s) => s.at)).toEqual([at(HOUR)]);
    expect(samplesOf(result, 'email', FOLLOW_UP).map((s) => s.at)).toEqual([at(HOUR + 2 * DAY)]);
    expect(samplesOf(result, 'task', CALL).map((s) => s.at)).toEqual([at(HOUR + 4 * DAY)]);
  });

  it('a recorded reply ends the enrollment (onReply), and not without onReply', () => {
    const changes = [...openedNeverReplied('L1', 0).slice(0, 5), email(HOUR + 5, 'email.replied', 'L1', 'survey')];
    const replied = run(subjectOf(), changes);
    expect(countOf(replied, 'skipped', 'Left the cadence: replied')).toBe(1);
    expect(countOf(replied, 'email', FOLLOW_UP)).toBe(0);
    const kept = run(subjectOf({ unenrollment: { ...TRAVEL_INQUIRY_FOLLOW_UP.unenrollment!, onReply: false } }), changes);
    expect(countOf(kept, 'skipped', 'Left the cadence: replied')).toBe(0);
    // The survey was replied to: its notReplied branch is not taken.
    expect(countOf(kept, 'email', FOLLOW_UP)).toBe(0);
    expect(countOf(kept, 'skipped', 'Follow-up: conditionNotMet')).toBe(1);
  });

  it('a bounce of the recorded email ends it (onBounce)', () => {
    const result = run(subjectOf(), [...openedNeverReplied('L1', 0).slice(0, 3), email(10, 'email.bounced', 'L1', 'thank-you')]);
    expect(countOf(result, 'skipped', 'Left the cadence: bounced')).toBe(1);
  });

  it('the unenrollment criteria end it on a recorded change, and a deleted record leaves', () => {
    const result = run(subjectOf(), [...openedNeverReplied('L1', 0).slice(0, 5), updated(HOUR + 10, 'L1', { email: 'L1@example.com', leadStatus: 'Qualified' }), created(0, 'L2', { email: 'l2@example.com' }), change(30, { event: 'record.deleted', recordId: 'L2' })].sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId)));
    expect(countOf(result, 'skipped', 'Left the cadence: criteria')).toBe(1);
    expect(countOf(result, 'skipped', 'Left the cadence: recordDeleted')).toBe(1);
    expect(countOf(result, 'email', FOLLOW_UP)).toBe(0);
  });

  it('onCreate enrolls only at creation; onCreateOrUpdate also a record that comes to match, once', () => {
    const changes = [created(0, 'L1', {}), updated(10, 'L1', { email: 'l1@example.com' }), updated(20, 'L1', { email: 'l1@example.com', city: 'Kyoto' })];
    expect(countOf(run(subjectOf(), changes), 'enrollment', 'Travel inquiry follow-up')).toBe(0);
    const later = run(subjectOf({ enrollment: { ...TRAVEL_INQUIRY_FOLLOW_UP.enrollment!, trigger: 'onCreateOrUpdate' } }), changes);
    expect(countOf(later, 'enrollment', 'Travel inquiry follow-up')).toBe(1);
    expect(samplesOf(later, 'enrollment', 'Travel inquiry follow-up')[0]!.at).toBe(at(10));
  });

  it('a manual cadence enrolls the records that were enrolled by hand live (this cadence only)', () => {
    const subject = subjectOf({ enrollment: { trigger: 'manual' } });
    const result = run(subject, [created(0, 'L1', { email: 'l1@example.com' }), created(0, 'L2', { email: 'l2@example.com' }), enrolledLive(30, 'L1', 'manual'), enrolledLive(30, 'L2', 'manual', 'OTHER')]);
    expect(samplesOf(result, 'enrollment', 'Travel inquiry follow-up').map((s) => [s.record.id, s.at])).toEqual([['L1', at(30)]]);
  });

  it('an email due outside the send window goes out when it opens, in the recipient\'s time zone', () => {
    const subject = subjectOf({ sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } });
    // Saturday 2026-11-07 03:00 in New York (08:00 UTC): sent Monday 09:00 New York (14:00 UTC).
    const result = run(subject, [change(5 * DAY + 8 * HOUR, { event: 'record.created', recordId: 'L1', fields: { email: 'l1@example.com', timeZone: 'America/New_York' } })]);
    expect(samplesOf(result, 'email', THANK_YOU)[0]!.at).toBe('2026-11-09T14:00:00.000Z');
  });

  it('no address when an email is due: the enrollment ends (noAddress), as live', () => {
    const result = run(subjectOf({ enrollment: { trigger: 'onCreate' } }), [created(0, 'L1', {})]);
    expect(countOf(result, 'skipped', 'Left the cadence: noAddress')).toBe(1);
    expect(countOf(result, 'email', THANK_YOU)).toBe(0);
  });

  it('beside the published version: exactly the records whose outcome changes, and the cross-check with what was recorded live', () => {
    const changes = [...openedNeverReplied('L1', 0), ...openedNeverReplied('L2', 1), ...openedNeverReplied('L3', 2)].sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
    const published = subjectOf();
    const draft = subjectOf({ enrollment: { trigger: 'onCreate', criteria: { all: [{ field: 'firstName', op: 'ne', value: 'L2' }] } } });
    const result = run(draft, changes, published);
    expect(new Set(result.comparison!.removed.map((r) => r.record.id))).toEqual(new Set(['L2']));
    expect(result.comparison!.added).toEqual([]);
    expect(result.comparison!.moved).toEqual([]);
    expect(result.comparison!.recorded).toEqual({ checked: 12, mismatches: 0 });
    // A published version activated after L1 was created did not enroll it live: the replay neither.
    const late = run(draft, changes, { ...published, enrollsFrom: at(1) });
    expect(late.comparison!.recorded!.mismatches).toBe(4);
  });

  it('replaying in pages (state saved as JSON between them) gives the result of one pass', () => {
    const actions = fc.constantFrom('create', 'createNoEmail', 'qualify', 'sent', 'opened', 'replied', 'bounced', 'delete');
    fc.assert(
      fc.property(fc.array(fc.tuple(actions, fc.integer({ min: 0, max: 3 }), fc.constantFrom('thank-you', 'survey', 'follow-up'), fc.integer({ min: 1, max: 3 * DAY })), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 40 }), (script, cutAt) => {
        let minute = 0;
        const changes = script.map(([action, n, step, gap]) => {
          minute += gap;
          const id = `L${n}`;
          if (action === 'create') return created(minute, id, { email: `${id}@example.com` });
          if (action === 'createNoEmail') return created(minute, id, {});
          if (action === 'qualify') return updated(minute, id, { email: `${id}@example.com`, leadStatus: 'Qualified' });
          if (action === 'delete') return change(minute, { event: 'record.deleted', recordId: id });
          return email(minute, `email.${action}`, id, step);
        });
        const subject = subjectOf({ enrollment: { trigger: 'onCreateOrUpdate', criteria: { all: [{ field: 'email', op: 'isNotEmpty' }] } } });
        const cut = Math.min(cutAt, changes.length);
        expect(replayedInPages(subject, changes, cut, END)).toEqual(run(subject, changes));
      }),
      { numRuns: 150 },
    );
  });
});
