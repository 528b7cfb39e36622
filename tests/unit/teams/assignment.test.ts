import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AssignmentRulesSchema, pickRoundRobin, planAssignment, validateAssignmentRules, type AssignmentRules } from '../../../shared/domain/teams/assignment.js';
import { withRequestSystemFields } from '../../../shared/domain/teams/requests.js';
import type { FieldDefinition } from '../../../shared/domain/records/module-definition.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const rules = (input: unknown): AssignmentRules => AssignmentRulesSchema.parse(input);
const fields: FieldDefinition[] = withRequestSystemFields([
  { name: 'title', label: 'Title', type: 'text', required: true },
  { name: 'kind', label: 'Kind', type: 'picklist', required: true, options: ['Flight', 'Hotel', 'Visa'] },
  { name: 'travellers', label: 'Travellers', type: 'number', required: false },
]);

describe('assignment rules', () => {
  it('takes the first criterion whose field equals the value', () => {
    const r = rules({ criteria: [{ when: { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }, assignTo: 'u-visa' }, { when: { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }, assignTo: 'u-other' }], otherwise: { kind: 'round-robin' } });
    expect(planAssignment(r, { kind: 'Visa' }, ['u-visa', 'u-other', 'u-a'], NOW)).toEqual({ kind: 'user', userId: 'u-visa' });
    expect(planAssignment(r, { kind: 'Hotel' }, ['u-visa', 'u-other', 'u-a'], NOW)).toEqual({ kind: 'round-robin', pool: ['u-a', 'u-other', 'u-visa'] });
  });

  it('skips a criterion whose user no longer handles work for the team, and a fixed user who left', () => {
    const r = rules({ criteria: [{ when: { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }, assignTo: 'u-gone' }], otherwise: { kind: 'user', userId: 'u-gone' } });
    expect(planAssignment(r, { kind: 'Visa' }, ['u-a'], NOW)).toEqual({ kind: 'none' });
  });

  it('round-robin among a named subset keeps its order and drops those who left', () => {
    const r = rules({ otherwise: { kind: 'round-robin', among: ['u-c', 'u-a', 'u-gone'] } });
    expect(planAssignment(r, {}, ['u-a', 'u-b', 'u-c'], NOW)).toEqual({ kind: 'round-robin', pool: ['u-c', 'u-a'] });
    expect(planAssignment(r, {}, [], NOW)).toEqual({ kind: 'none' });
  });

  it('defaults to nobody', () => {
    expect(planAssignment(rules({}), { kind: 'Visa' }, ['u-a'], NOW)).toEqual({ kind: 'none' });
  });

  it('round-robin is fair: k rounds of tickets give each handler exactly k requests', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), fc.nat(1000), (pool, rounds, start) => {
        const counts = new Map<string, number>();
        for (let t = start + 1; t <= start + rounds * pool.length; t++) {
          const who = pickRoundRobin(pool, t) as string;
          counts.set(who, (counts.get(who) ?? 0) + 1);
        }
        expect([...counts.values()].every((c) => c === rounds)).toBe(true);
        expect(counts.size).toBe(pool.length);
      }),
    );
  });

  it('validates criteria against the module fields and the team handlers', () => {
    const r = rules({
      criteria: [
        { when: { all: [{ field: 'kind', op: 'eq', value: 'Train' }] }, assignTo: 'u-a' },
        { when: { all: [{ field: 'travellers', op: 'eq', value: 'four' }] }, assignTo: 'u-a' },
        { when: { all: [{ field: 'requestStatus', op: 'eq', value: 'Submitted' }] }, assignTo: 'u-a' },
        { when: { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }, assignTo: 'u-outsider' },
      ],
      otherwise: { kind: 'round-robin', among: ['u-a', 'u-participant'] },
    });
    expect(validateAssignmentRules(r, { fields }, ['u-a']).map((e) => e.path)).toEqual([
      'criteria.0.when.all.0.value',
      'criteria.1.when.all.0.value',
      'criteria.2.when.all.0.field',
      'criteria.3.assignTo',
      'otherwise.among.1',
    ]);
    expect(validateAssignmentRules(rules({ criteria: [{ when: { all: [{ field: 'kind', op: 'eq', value: 'Visa' }] }, assignTo: 'u-a' }], otherwise: { kind: 'user', userId: 'u-a' } }), { fields }, ['u-a'])).toEqual([]);
  });

  it('refuses a number criterion no request could hold (it would also not be stored exactly)', () => {
    const r = rules({
      criteria: [1e16, 5e-324, 2.5, 4].map((value) => ({ when: { all: [{ field: 'travellers', op: 'eq', value }] }, assignTo: 'u-a' })),
    });
    expect(validateAssignmentRules(r, { fields }, ['u-a']).map((e) => e.path)).toEqual(['criteria.0.when.all.0.value', 'criteria.1.when.all.0.value']);
  });
});

describe('team module system fields', () => {
  it('are appended once and replace any definition sent for them', () => {
    const sent: FieldDefinition[] = [{ name: 'requestStatus', label: 'Mine', type: 'text', required: true }, { name: 'title', label: 'Title', type: 'text', required: true }];
    const out = withRequestSystemFields(withRequestSystemFields(sent));
    expect(out.map((f) => f.name)).toEqual(['title', 'requestStatus', 'requesterId', 'assigneeId']);
    expect(out.find((f) => f.name === 'requestStatus')).toMatchObject({ type: 'picklist', readOnly: true });
  });
});
