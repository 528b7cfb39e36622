import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WizardDefinitionSchema, type WizardDefinition } from '../../../shared/domain/wizard/definition.js';
import { validateWizardDefinition } from '../../../shared/domain/wizard/validate.js';
import {
  NothingToGoBackTo,
  draftWizardScreen,
  ScreenNotCurrent,
  ScreensRemain,
  renderWizardScreen,
  startProgress,
  submitWizardScreen,
  wizardBack,
  wizardRecordFields,
  type WizardProgress,
} from '../../../shared/domain/wizard/session.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';

const leads = standardModule('Leads')!;
const NOW = new Date('2026-06-01T00:00:00Z');
const wizard = (input: unknown): WizardDefinition => WizardDefinitionSchema.parse(input);

/** A small New-lead wizard: contact → wishes → consent, with rules on lead source and industry. */
const newLead = wizard({
  name: 'New lead',
  module: 'Leads',
  screens: [
    { id: 'contact', title: 'Contact details', fields: [{ field: 'firstName' }, { field: 'lastName' }, { field: 'email' }, { field: 'phone' }, { field: 'leadSource' }] },
    { id: 'wishes', title: 'Travel wishes', fields: [{ field: 'company', hidden: true }, { field: 'industry' }, { field: 'timeZone' }] },
    { id: 'consent', title: 'Consent', fields: [{ field: 'leadStatus', required: true }] },
  ],
  rules: [
    { when: { all: [{ field: 'leadSource', op: 'eq', value: 'Trade Show' }] }, then: [{ action: 'show', field: 'company' }] },
    { when: { all: [{ field: 'leadSource', op: 'eq', value: 'Referral' }] }, then: [{ action: 'skipScreen', screen: 'wishes' }] },
    { when: { all: [{ field: 'industry', op: 'eq', value: 'Travel' }] }, then: [{ action: 'setValue', field: 'leadStatus', value: 'Contacted' }, { action: 'lock', field: 'leadStatus' }] },
  ],
});

const submit = (progress: WizardProgress, screenId: string, values: Record<string, unknown>) => {
  const out = submitWizardScreen(newLead, leads, progress, screenId, values, 'JP', NOW);
  if ('errors' in out) throw new Error(JSON.stringify(out.errors));
  return out.progress;
};
const errorsOf = (progress: WizardProgress, screenId: string, values: Record<string, unknown>) => {
  const out = submitWizardScreen(newLead, leads, progress, screenId, values, 'JP', NOW);
  return 'errors' in out ? out.errors : [];
};

describe('wizard definitions are validated at save', () => {
  const errors = (def: unknown) => validateWizardDefinition(wizard(def), leads, 'JP');
  const base = { name: 'W', module: 'Leads', screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'leadSource' }] }, { id: 'two', title: 'Two', fields: [{ field: 'email' }] }] };

  it('accepts the New lead wizard', () => {
    expect(validateWizardDefinition(newLead, leads, 'JP')).toEqual([]);
  });
  it.each([
    ['an unknown field', { ...base, screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'shoeSize' }] }] }, 'screens.0.fields.1.field'],
    ['a read-only field', { ...base, screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'converted' }] }] }, 'screens.0.fields.1.field'],
    ['a field on two screens', { ...base, screens: [base.screens[0], { id: 'two', title: 'Two', fields: [{ field: 'lastName' }] }] }, 'screens.1.fields.0.field'],
    ['a duplicate screen id', { ...base, screens: [base.screens[0], { id: 'one', title: 'Two', fields: [{ field: 'email' }] }] }, 'screens.1.id'],
    ['a required module field asked nowhere', { ...base, screens: [{ id: 'one', title: 'One', fields: [{ field: 'email' }] }] }, 'screens'],
    ['a module-required field made optional', { ...base, screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName', required: false }] }] }, 'screens.0.fields.0.required'],
    ['a rule on a field of no screen', { ...base, rules: [{ when: { all: [{ field: 'phone', op: 'eq', value: 'x' }] }, then: [{ action: 'skipScreen', screen: 'two' }] }] }, 'rules.0.when.all.0.field'],
    ['a rule value outside the picklist', { ...base, rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Carrier pigeon' }] }, then: [{ action: 'skipScreen', screen: 'two' }] }] }, 'rules.0.when.all.0.value'],
    ['skipping a missing screen', { ...base, rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }, then: [{ action: 'skipScreen', screen: 'three' }] }] }, 'rules.0.then.0.screen'],
    ['skipping on a later answer', { ...base, rules: [{ when: { all: [{ field: 'email', op: 'isNotEmpty' }] }, then: [{ action: 'skipScreen', screen: 'one' }] }] }, 'rules.0.when'],
    ['showing an unknown field', { ...base, rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }, then: [{ action: 'show', field: 'nope' }] }] }, 'rules.0.then.0.field'],
    ['hiding a required field', { ...base, screens: [base.screens[0], { id: 'two', title: 'Two', fields: [{ field: 'email', required: true }] }], rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }, then: [{ action: 'hide', field: 'email' }] }] }, 'rules.0.then.0.field'],
    ['locking a required field without setting it', { ...base, screens: [base.screens[0], { id: 'two', title: 'Two', fields: [{ field: 'email', required: true }] }], rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }, then: [{ action: 'lock', field: 'email' }] }] }, 'rules.0.then.0.field'],
    ['setting a value of the wrong type', { ...base, rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }, then: [{ action: 'setValue', field: 'email', value: 'not an email' }] }] }, 'rules.0.then.0.value'],
    ['a screen skipped for every value of a required picklist', { ...base, screens: [{ id: 'one', title: 'One', fields: [{ field: 'lastName' }, { field: 'leadStatus', required: true }] }, base.screens[1]], rules: [{ when: { all: [{ field: 'leadStatus', op: 'in', value: ['New', 'Contacted'] }] }, then: [{ action: 'skipScreen', screen: 'two' }] }, { when: { all: [{ field: 'leadStatus', op: 'in', value: ['Qualified', 'Unqualified'] }] }, then: [{ action: 'skipScreen', screen: 'two' }] }] }, 'screens.1.id'],
    ['a screen whose fields are all hidden for good', { ...base, screens: [base.screens[0], { id: 'two', title: 'Two', fields: [{ field: 'email', hidden: true }] }] }, 'screens.1.fields'],
  ])('refuses %s', (_name, def, path) => {
    expect(errors(def).map((e) => e.path)).toContain(path);
  });
  it('refuses unknown keys and bad shapes through the schema', () => {
    expect(WizardDefinitionSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(WizardDefinitionSchema.safeParse({ ...base, screens: [] }).success).toBe(false);
    expect(WizardDefinitionSchema.safeParse({ ...base, rules: [{ when: { all: [{ field: 'leadSource', op: 'eq', value: 'Web' }] }, then: [{ action: 'explode' }] }] }).success).toBe(false);
  });
});

describe('a wizard session', () => {
  it('renders the first screen from the module fields, with picklist options', () => {
    const screen = renderWizardScreen(newLead, leads, startProgress(newLead), NOW)!;
    expect(screen.id).toBe('contact');
    expect(screen.components.map((c) => c.id)).toEqual(['firstName', 'lastName', 'email', 'phone', 'leadSource']);
    expect(screen.components.find((c) => c.id === 'lastName')).toMatchObject({ kind: 'input', type: 'text', required: true });
    expect(screen.components.find((c) => c.id === 'leadSource')!.options).toContainEqual({ value: 'Web', label: 'Web' });
  });

  it('refuses a bad email at values.email and a missing required field, and moves on when fixed', () => {
    const start = startProgress(newLead);
    expect(errorsOf(start, 'contact', { lastName: 'Sato', email: 'nope' })).toEqual([{ path: 'values.email', message: 'Must be a valid email address' }]);
    expect(errorsOf(start, 'contact', { email: 'a@b.jp' }).map((e) => e.path)).toEqual(['values.lastName']);
    expect(errorsOf(start, 'contact', { lastName: 'Sato', shoeSize: 42 }).map((e) => e.path)).toEqual(['values.shoeSize']);
    const next = submit(start, 'contact', { lastName: 'Sato', email: 'a@b.jp' });
    expect(next.screenId).toBe('wishes');
  });

  it('refuses a screen that is not the current one', () => {
    expect(() => submitWizardScreen(newLead, leads, startProgress(newLead), 'consent', {}, 'JP', NOW)).toThrow(ScreenNotCurrent);
  });

  it('shows a hidden field when a rule says so', () => {
    const plain = submit(startProgress(newLead), 'contact', { lastName: 'Sato', leadSource: 'Web' });
    expect(renderWizardScreen(newLead, leads, plain, NOW)!.components.map((c) => c.id)).toEqual(['industry', 'timeZone']);
    const fair = submit(startProgress(newLead), 'contact', { lastName: 'Sato', leadSource: 'Trade Show' });
    expect(renderWizardScreen(newLead, leads, fair, NOW)!.components.map((c) => c.id)).toEqual(['company', 'industry', 'timeZone']);
    expect(errorsOf(plain, 'wishes', { company: 'ACME' }).map((e) => e.path)).toEqual(['values.company']);
  });

  it('skips a screen on an earlier answer, and drops its answers if the user goes back and changes their mind', () => {
    let p = submit(startProgress(newLead), 'contact', { lastName: 'Sato', leadSource: 'Web' });
    p = submit(p, 'wishes', { industry: 'Retail' });
    p = wizardBack(wizardBack(p));
    expect(p.screenId).toBe('contact');
    p = submit(p, 'contact', { lastName: 'Sato', leadSource: 'Referral' });
    expect(p.screenId).toBe('consent');
    p = submit(p, 'consent', { leadStatus: 'New' });
    expect(p.screenId).toBeNull();
    expect(wizardRecordFields(newLead, p, NOW)).toEqual({ lastName: 'Sato', leadSource: 'Referral', leadStatus: 'New' });
  });

  it('sets and locks a value by rule; a different value for a locked field is refused', () => {
    let p = submit(startProgress(newLead), 'contact', { lastName: 'Sato' });
    p = submit(p, 'wishes', { industry: 'Travel' });
    const consent = renderWizardScreen(newLead, leads, p, NOW)!;
    expect(consent.components[0]).toMatchObject({ id: 'leadStatus', readOnly: true, value: 'Contacted' });
    expect(errorsOf(p, 'consent', { leadStatus: 'Qualified' })).toEqual([{ path: 'values.leadStatus', message: 'This field is locked' }]);
    p = submit(p, 'consent', {});
    expect(wizardRecordFields(newLead, p, NOW)).toMatchObject({ leadStatus: 'Contacted', industry: 'Travel' });
  });

  it('keeps a draft of a half-filled screen: types are checked, nothing is required yet, the screen stays', () => {
    const start = startProgress(newLead);
    const drafted = draftWizardScreen(newLead, leads, start, { email: 'half@filled.jp' }, 'JP', NOW);
    expect(drafted).toEqual({ progress: { ...start, values: { email: 'half@filled.jp' } } });
    expect(draftWizardScreen(newLead, leads, start, { email: 'nope', industry: 'Travel' }, 'JP', NOW)).toEqual({
      errors: [
        { path: 'values.email', message: 'Must be a valid email address' },
        { path: 'values.industry', message: 'Not a field of this screen' },
      ],
    });
  });

  it('cannot go back from the first screen nor finish early', () => {
    expect(() => wizardBack(startProgress(newLead))).toThrow(NothingToGoBackTo);
    expect(() => wizardRecordFields(newLead, startProgress(newLead), NOW)).toThrow(ScreensRemain);
  });

  it('never lets through a value of the wrong type, whatever is submitted (property)', () => {
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.record({ lastName: anyValue, email: anyValue, phone: anyValue, leadSource: anyValue }, { requiredKeys: [] }), (values) => {
        const out = submitWizardScreen(newLead, leads, startProgress(newLead), 'contact', values, 'JP', NOW);
        if ('errors' in out) {
          expect(out.errors.length).toBeGreaterThan(0);
          for (const e of out.errors) expect(e.path).toMatch(/^values\./);
        } else {
          const v = out.progress.values;
          expect(typeof v.lastName).toBe('string');
          if (v.email !== undefined) expect(String(v.email)).toContain('@');
          if (v.leadSource !== undefined) expect(leads.fields.find((f) => f.name === 'leadSource')!.options).toContain(v.leadSource);
        }
      }),
      { numRuns: 300 },
    );
  });
});
