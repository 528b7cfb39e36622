import { describe, expect, it } from 'vitest';
import { CadenceDefinitionSchema, meetsEnrollment, meetsUnenrollment, type CadenceDefinitionInput } from '../../../shared/domain/cadence/definition.js';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';
import { mergeValues, renderTemplate } from '../../../shared/domain/cadence/template.js';
import { validateCadence } from '../../../shared/domain/cadence/validation.js';
import { toFieldErrors } from '../../../shared/http/validation.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';

const leads = standardModule('Leads');
if (!leads) throw new Error('Leads is a standard module');

const base: CadenceDefinitionInput = { name: 'T', module: 'Leads', sender: { name: 'S' }, steps: [{ id: 'a', type: 'email', subject: 'Hi {{firstName}}', text: 't' }] };

/** Schema and semantic errors as paths, the way the API reports them. */
const errorsOf = (input: unknown): string[] => {
  const parsed = CadenceDefinitionSchema.safeParse(input);
  if (!parsed.success) return toFieldErrors(parsed.error).map((e) => (e.path === '(root)' ? '' : e.path));
  return validateCadence(parsed.data, leads).map((e) => e.path);
};

describe('cadence definitions', () => {
  it('the demo cadence is valid', () => {
    expect(errorsOf(TRAVEL_INQUIRY_FOLLOW_UP)).toEqual([]);
  });

  it.each([
    ['a duplicate step id', { steps: [base.steps[0], { ...base.steps[0] }] }, 'steps.1.id'],
    ['a parent that is not an earlier step', { steps: [{ id: 'a', type: 'task', subject: 'x', parent: 'b' }, { id: 'b', type: 'task', subject: 'y' }] }, 'steps.0.parent'],
    ['a step that follows itself', { steps: [{ id: 'a', type: 'task', subject: 'x', parent: 'a' }] }, 'steps.0.parent'],
    ['a condition without a parent', { steps: [{ id: 'a', type: 'email', subject: 's', text: 't', condition: { event: 'opened' } }] }, 'steps.0.condition'],
    ['an email condition on a task', { steps: [{ id: 'a', type: 'task', subject: 'x' }, { id: 'b', type: 'task', subject: 'y', parent: 'a', condition: { event: 'opened' } }] }, 'steps.1.condition.event'],
    ['notReplied without within', { steps: [base.steps[0], { id: 'b', type: 'task', subject: 'y', parent: 'a', condition: { event: 'notReplied' } }] }, 'steps.1.condition.within'],
    ['an unknown merge field', { steps: [{ id: 'a', type: 'email', subject: 'Hi {{nickname}}', text: 't' }] }, 'steps.0.subject'],
    ['an unknown criteria field', { unenrollment: { criteria: { all: [{ field: 'stage', op: 'eq', value: 'x' }] } } }, 'unenrollment.criteria.all.0.field'],
    ['a picklist value that is not an option', { unenrollment: { criteria: { all: [{ field: 'leadStatus', op: 'eq', value: 'Won' }] } } }, 'unenrollment.criteria.all.0.value'],
    ['eq without a value', { enrollment: { trigger: 'onCreate', criteria: { all: [{ field: 'email', op: 'eq' }] } } }, 'enrollment.criteria.all.0.value'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a window that ends before it starts', { sendWindow: { days: [1], start: '17:00', end: '09:00' } }, 'sendWindow.end'],
    ['a window day 8', { sendWindow: { days: [8], start: '09:00', end: '17:00' } }, 'sendWindow.days.0'],
    ['30 February as a holiday', { holidays: ['2026-02-30'] }, 'holidays.0'],
    ['a module cadences do not serve', { module: 'Deals' }, 'module'],
    ['an unknown property', { colour: 'red' }, ''],
    ['a step id with upper case', { steps: [{ id: 'A', type: 'task', subject: 'x' }] }, 'steps.0.id'],
    ['no steps', { steps: [] }, 'steps'],
    ['a negative delay', { steps: [{ id: 'a', type: 'task', subject: 'x', timing: { amount: -1, unit: 'days' } }] }, 'steps.0.timing.amount'],
  ])('refuses %s (at %s)', (_, patch, path) => {
    expect(errorsOf({ ...base, ...patch })).toContain(path);
  });
});

describe('criteria and merge fields', () => {
  it('enrollment criteria without conditions take every record; unenrollment criteria without conditions never unenroll', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const cadence = (enrollment: unknown, unenrollment: unknown) => CadenceDefinitionSchema.parse({ ...base, enrollment: { criteria: enrollment }, unenrollment: { criteria: unenrollment } });
    const open = cadence({ all: [] }, { all: [] });
    expect(meetsEnrollment(open, {}, now)).toBe(true);
    expect(meetsUnenrollment(open, { leadStatus: 'Qualified' }, now)).toBe(false);
    const strict = cadence({ all: [{ field: 'email', op: 'isNotEmpty' }] }, { any: [{ field: 'leadStatus', op: 'eq', value: 'Qualified' }] });
    expect(meetsEnrollment(strict, { email: '' }, now)).toBe(false);
    expect(meetsEnrollment(strict, { email: 'a@b.example' }, now)).toBe(true);
    expect(meetsUnenrollment(strict, { leadStatus: 'Qualified' }, now)).toBe(true);
    expect(meetsUnenrollment(strict, {}, now)).toBe(false);
  });

  it('merge values are escaped in HTML, kept in text, single-line in headers; unknown names render empty', () => {
    const values = mergeValues({ firstName: '<b>Ann</b> & "Co"', lastName: 'O\'Neil\r\nBcc: x@evil.example' }, { recordId: 'r1', senderName: 'Keiro' });
    expect(renderTemplate('<p>{{firstName}}</p>', values, 'html')).toBe('<p>&lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Co&quot;</p>');
    expect(renderTemplate('{{firstName}}', values, 'text')).toBe('<b>Ann</b> & "Co"');
    expect(renderTemplate('Hi {{lastName}}', values, 'header')).toBe("Hi O'Neil Bcc: x@evil.example");
    expect(renderTemplate('{{ record.id }}/{{nothing}}/{{constructor}}', values, 'text')).toBe('r1//');
  });
});
