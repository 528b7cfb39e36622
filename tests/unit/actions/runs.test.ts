import { describe, expect, it } from 'vitest';
import { actionSchema, runsOnce, type Runs } from '../../../shared/domain/actions/index.js';
import { JourneyActionSchema } from '../../../shared/domain/journey/definition.js';

describe('runs: how often a creating action runs (one spelling for every automation)', () => {
  it('creating actions run once by default, every time when they say so', () => {
    expect(runsOnce(actionSchema.parse({ type: 'createTask', subject: 'Call', assignee: { kind: 'owner' } }) as { runs?: Runs })).toBe(true);
    expect(runsOnce(actionSchema.parse({ type: 'createRecord', module: 'Cases', fields: {}, runs: 'once' }) as { runs?: Runs })).toBe(true);
    expect(runsOnce(actionSchema.parse({ type: 'createTask', subject: 'Call', assignee: { kind: 'owner' }, runs: 'everyTime' }) as { runs?: Runs })).toBe(false);
    expect(runsOnce(JourneyActionSchema.parse({ type: 'enrollInCadence', cadence: 'c1', runs: 'everyTime' }) as { runs?: Runs })).toBe(false);
  });

  it.each([
    [actionSchema, { type: 'createTask', subject: 'Call', assignee: { kind: 'owner' }, runs: 'always' }, ['runs']],
    [actionSchema, { type: 'sendEmail', to: { kind: 'owner' }, template: { subject: 's', text: 't' }, runs: 'once' }, ['']],
    [JourneyActionSchema, { type: 'createRecord', module: 'Cases', customerField: 'contactId', fields: {}, runs: 'every time' }, ['runs']],
    [JourneyActionSchema, { type: 'notify', to: { kind: 'owner' }, message: 'm', runs: 'once' }, ['']],
  ] as const)('refuses a misspelt runs, or runs on an action that creates nothing (%#)', (schema, action, paths) => {
    const result = schema.safeParse(action);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(paths);
  });
});
