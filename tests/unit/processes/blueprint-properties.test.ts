import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { performTransition, reachableStates } from '../../../shared/domain/blueprint/index.js';
import type { ProcessActor } from '../../../shared/domain/process/participants.js';
import type { FieldValues } from '../../../shared/domain/records/field-values.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { guardUpdate, type BlueprintBinding, type RecordLock, type WriteChannel } from '../../../shared/domain/records/write-guards.js';
import { TRAVEL_BLUEPRINT } from '../../../infra/local/seed-processes.js';

// Random command sequences by random users against the Travel application blueprint and a lock, run
// through the same pure rules the records core applies. Invariants:
// 1. the record's state is always reachable from the initial state through transitions that the users
//    who performed them were allowed to perform (an independent oracle of who may do what);
// 2. no locked record is ever changed by anyone the lock does not allow.

const module = standardModule('TravelApplications') as ModuleMetadata;
const def = TRAVEL_BLUEPRINT;
const USERS = ['u-agent', 'u-manager', 'u-admin', 'u-ops', 'u-requester'] as const;
type User = (typeof USERS)[number];
const actorOf = (u: User): ProcessActor => ({ userId: u, isOrgAdmin: u === 'u-admin', orgRole: u === 'u-admin' ? 'admin' : u === 'u-requester' ? 'guest' : 'member', teamRoles: u === 'u-ops' ? { ops: 'admin' } : {} });
const people = { ownerId: 'u-agent', ownerManagerChain: ['u-manager'] };

/** The oracle, written from the demo's rules and not from the engine: who may leave each state. */
const mayPerform = (user: User, from: string): boolean => (from === 'Manager Approval' ? user === 'u-manager' || user === 'u-admin' : user === 'u-agent');

const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  destination: fc.constantFrom('Kyoto', 'Okinawa', ''),
  departureDate: fc.constantFrom('2027-05-01', '2027-06-01', 'soon'),
  returnDate: fc.constantFrom('2027-05-05', '2027-04-01'),
  travellers: fc.integer({ min: 1, max: 5 }),
  stage: fc.constantFrom(...def.states),
  changeDetails: fc.string({ maxLength: 5 }),
};
const fieldsArb = fc.dictionary(fc.constantFrom(...Object.keys(FIELD_VALUES)), fc.constant(null), { maxKeys: 3 }).chain((keys) => fc.record(Object.fromEntries(Object.keys(keys).map((k) => [k, FIELD_VALUES[k] as fc.Arbitrary<unknown>]))));

type Command =
  | { kind: 'transition'; user: User; transitionId: string; fields: Record<string, unknown>; note?: string }
  | { kind: 'patch'; user: User; fields: Record<string, unknown>; override?: true }
  | { kind: 'lock'; allow: User[]; editable: string[] }
  | { kind: 'unlock' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('transition' as const),
      user: fc.constantFrom<User>('u-agent', 'u-agent', 'u-manager', ...USERS),
      transitionId: fc.constantFrom(...def.transitions.map((t) => t.id), 'bogus'),
      fields: fc.oneof(
        { weight: 3, arbitrary: fc.constant({}) },
        { weight: 2, arbitrary: fc.record({ destination: fc.constantFrom('Kyoto', 'Okinawa'), departureDate: fc.constant('2027-05-01'), returnDate: fc.constantFrom('2027-05-05', '2027-04-01') }) },
        { weight: 1, arbitrary: fieldsArb },
      ),
      note: fc.option(fc.constantFrom('ok', 'because'), { nil: undefined }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('patch' as const), user: fc.constantFrom(...USERS), fields: fieldsArb, override: fc.option(fc.constant(true as const), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lock' as const), allow: fc.subarray([...USERS]), editable: fc.subarray(['travellers', 'changeDetails']) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unlock' as const }) },
);

const governed = { blueprintId: 'bp', name: def.name, field: def.field, version: 1, entryCriteria: def.entryCriteria, initialState: def.initialState, states: def.states };

describe('blueprint and locks under random commands (fast-check)', () => {
  it('states stay reachable through allowed transitions; locks hold against everyone they do not allow', () => {
    const seen = { moved: 0, lockedWrites: 0, refusedByLock: 0 };
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 40 }), (commands) => {
        let fields: FieldValues = { name: 'Trip', contactId: 'c1', stage: def.initialState };
        let binding: BlueprintBinding = { blueprintId: 'bp', version: 1, enteredAt: '2026-01-01T00:00:00.000Z', parallelDone: [], token: 't0' };
        let lock: RecordLock | undefined;
        /** States reached through allowed transitions (plus the initial one, and admin overrides with a reason). */
        const reached = new Set([def.initialState]);
        let n = 0;
        for (const cmd of commands) {
          n++;
          if (cmd.kind === 'lock') lock = { reason: 'approval', approvalId: 'a1', since: 'x', allowUserIds: cmd.allow, editableFields: cmd.editable };
          else if (cmd.kind === 'unlock') lock = undefined;
          else if (cmd.kind === 'transition') {
            // The records core checks the lock before the engine plans: a locked record refuses transitions.
            const channel: WriteChannel = { kind: 'transition', blueprintId: 'bp' };
            const outcome = performTransition({ def, module, fields, binding, transitionId: cmd.transitionId, input: { fields: cmd.fields, ...(cmd.note ? { note: cmd.note } : {}) }, actor: actorOf(cmd.user), people, now: `2026-01-02T00:00:${String(n % 60).padStart(2, '0')}.000Z`, newToken: `t${n}`, phoneRegion: 'JP' });
            if (!outcome.ok) continue;
            const changed = Object.keys(outcome.value.patch).filter((k) => outcome.value.patch[k] !== fields[k]);
            const guard = guardUpdate({ blueprint: governed }, { fields, ...(lock ? { lock } : {}), blueprint: binding }, changed, { ...fields, ...(outcome.value.patch as FieldValues) }, { userId: cmd.user, isOrgAdmin: cmd.user === 'u-admin' }, channel, new Date('2026-01-02T00:00:00Z'));
            if (!guard.ok) {
              expect(lock, 'only a lock refuses a planned transition').toBeDefined();
              seen.refusedByLock++;
              continue;
            }
            if (outcome.value.moved) seen.moved++;
            if (lock) expect(changed.every((f) => lock?.editableFields.includes(f)) || lock.allowUserIds.includes(cmd.user)).toBe(true);
            expect(mayPerform(cmd.user, outcome.value.from), `${cmd.user} performed ${cmd.transitionId} from ${outcome.value.from}`).toBe(true);
            expect(reached.has(outcome.value.from)).toBe(true);
            reached.add(outcome.value.to);
            fields = { ...fields, ...(outcome.value.patch as FieldValues) };
            binding = outcome.value.binding;
          } else {
            const changed = Object.keys(cmd.fields).filter((k) => cmd.fields[k] !== fields[k]);
            if (changed.length === 0) continue;
            const next = { ...fields, ...(cmd.fields as FieldValues) };
            const guard = guardUpdate({ blueprint: governed }, { fields, ...(lock ? { lock } : {}), blueprint: binding }, changed, next, { userId: cmd.user, isOrgAdmin: cmd.user === 'u-admin', overrides: cmd.override === true }, { kind: 'plain' }, new Date('2026-01-02T00:00:00Z'));
            if (!guard.ok) {
              if (lock) seen.refusedByLock++;
              continue;
            }
            if (lock) seen.lockedWrites++;
            if (lock) expect(changed.every((f) => lock?.editableFields.includes(f)) || lock.allowUserIds.includes(cmd.user), `a locked record changed by ${cmd.user}: ${changed.join(',')}`).toBe(true);
            if (changed.includes('stage')) {
              // Only an org admin with a reason moves the governed field outside a transition (audited).
              expect(cmd.user === 'u-admin' && cmd.override).toBeTruthy();
              reached.add(String(next.stage));
              binding = { ...binding, token: `o${n}`, parallelDone: [] };
            }
            fields = next;
          }
          expect(reached.has(String(fields.stage))).toBe(true);
        }
      }),
      { numRuns: 800 },
    );
    // The runs did exercise the rules: moves, writes a lock allowed, and writes a lock refused.
    expect(seen.moved).toBeGreaterThan(30);
    expect(seen.lockedWrites).toBeGreaterThan(0);
    expect(seen.refusedByLock).toBeGreaterThan(0);
  });

  it('every state of the demo blueprint is reachable from its initial state', () => {
    expect([...reachableStates(def)].sort()).toEqual([...def.states].sort());
  });
});
