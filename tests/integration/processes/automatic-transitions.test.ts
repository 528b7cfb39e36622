import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { BlueprintDefinitionSchema } from '../../../shared/domain/blueprint/definition.js';
import type { TimerRequest } from '../../../shared/domain/timers/timer.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { createModule } from '../../../shared/db/modules-repo.js';
import { recordHistory } from '../../../shared/db/records-queries.js';
import { createRecord, getRecord, updateRecord } from '../../../shared/db/records-repo.js';
import { blueprintSpec, saveValidated } from '../../../functions/processes/definitions.js';
import { wake } from '../../../stepfunctions/timer/tasks/wake.js';
import { blueprintAutoWake } from '../../../functions/processes/wakes.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

// A blueprint automatic transition: the record's write puts a timer.scheduled outbox entry in its own
// transaction (stream → bus, as the start-timer consumer receives it); at its wakeAt the timer's Wake
// task runs the blueprint-auto wake handler. The timer ASL itself is covered by tests/integration/timers.

const HOUR = 3_600_000;

const visas: Omit<ModuleMetadata, 'kind' | 'version'> = {
  name: 'VisaCases',
  label: 'Visa cases',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true },
    { name: 'status', label: 'Status', type: 'picklist', required: false, options: ['Open', 'Closed', 'Expired'] },
  ],
};

const blueprint = BlueprintDefinitionSchema.parse({
  name: 'Visa case',
  module: 'VisaCases',
  field: 'status',
  entryCriteria: { all: [] },
  initialState: 'Open',
  states: ['Open', 'Closed', 'Expired'],
  transitions: [
    { id: 'close', name: 'Close', from: 'Open', to: 'Closed', before: { who: [{ kind: 'owner' }] } },
    { id: 'expire', name: 'Expire after a day', kind: 'automatic', from: 'Open', to: 'Expired', afterHours: 24 },
  ],
});

describe('blueprint automatic transitions on the shared timer', () => {
  let now = Date.parse('2026-06-01T09:00:00Z');
  let deps: AppDeps;
  let events: LocalEvents;
  let module: ModuleMetadata;
  const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'auto' };
  const timersOf = (recordId: string) => events.seen.filter((e) => e['detail-type'] === 'timer.scheduled' && (e.detail.data as TimerRequest).key.includes(recordId)).map((e) => e.detail.data as TimerRequest);

  beforeAll(async () => {
    deps = await createTestDeps({ clock: () => new Date(now) });
    events = startLocalEvents(deps, { subscriptions: [], consumers: [] });
    module = await createModule(deps, visas, 'custom', { ...ctx, actor: 'u-admin' });
    await saveValidated(deps, blueprintSpec, module, undefined, 'bp-visa', blueprint, true, { ...ctx, actor: 'u-admin' });
  });
  afterAll(async () => {
    await events?.stop();
  });

  it('fires after its time in state, and not for a record that left the state first (its wake ends quietly)', async () => {
    const stays = await createRecord(deps, module, { id: 'V-STAYS', ownerId: 'u-agent', fields: { name: 'Stays open' } }, ctx);
    const leaves = await createRecord(deps, module, { id: 'V-LEAVES', ownerId: 'u-agent', fields: { name: 'Closed early' } }, ctx);
    expect([stays.fields.status, leaves.fields.status]).toEqual(['Open', 'Open']);
    const [stayTimer] = await waitFor(() => timersOf('V-STAYS').length === 1 && timersOf('V-STAYS'), 'the first timer');
    const [leaveTimer] = await waitFor(() => timersOf('V-LEAVES').length === 1 && timersOf('V-LEAVES'), 'the second timer');
    expect(stayTimer).toMatchObject({ kind: 'blueprint-auto', key: 'VisaCases#V-STAYS#expire', wakeAt: '2026-06-02T09:00:00Z' });

    // Before the day is out: too early to fire; and an org admin moves the second record on (a new stay).
    now += 12 * HOUR;
    // The handler alone (a bucket never opens early, and a wake, once claimed, does not run again).
    await blueprintAutoWake(deps, stayTimer as TimerRequest);
    expect((await getRecord(deps, 'VisaCases', 'V-STAYS'))?.fields.status).toBe('Open');
    await updateRecord(deps, module, 'V-LEAVES', { fields: { status: 'Closed' } }, { ...ctx, actor: 'u-admin', actorIsOrgAdmin: true, reason: 'Withdrawn by the customer', override: true });

    now += 13 * HOUR;
    await wake(deps, stayTimer);
    await wake(deps, leaveTimer as TimerRequest);
    await wake(deps, stayTimer); // a redelivered wake changes nothing more
    expect((await getRecord(deps, 'VisaCases', 'V-STAYS'))?.fields.status).toBe('Expired');
    expect((await getRecord(deps, 'VisaCases', 'V-LEAVES'))?.fields.status).toBe('Closed');
    const history = await recordHistory(deps, 'VisaCases', 'V-STAYS', 10);
    const autos = history.items.filter((h) => h.event === 'blueprint.transitioned');
    expect(autos).toHaveLength(1);
    expect(autos[0]).toMatchObject({ actor: 'system', via: 'blueprint', changes: [{ field: 'status', old: 'Open', new: 'Expired' }] });
    expect(autos[0]?.summary).toContain('Automatic transition "Expire after a day"');
    expect((await recordHistory(deps, 'VisaCases', 'V-LEAVES', 10)).items.some((h) => h.event === 'blueprint.transitioned')).toBe(false);
  });
});
