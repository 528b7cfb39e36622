import { businessMetric } from '../../shared/adapters/metrics.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { availableTransitions, performTransition, stateOf, type BlueprintDefinition, type Transition, type TransitionResult } from '../../shared/domain/blueprint/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { processHistoryPut } from '../../shared/db/approvals-repo.js';
import { getModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { loadPeople } from '../../shared/db/people.js';
import { toRecordView, updateRecord, type RecordItem } from '../../shared/db/records-repo.js';
import type { TransactItem } from '../../shared/db/transact.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json } from '../../shared/http/operation.js';
import { enforceOnRecord, moduleAccessWithRecord } from '../records/record-access.js';
import { bindingOf, loadBlueprintVersion } from './blueprint-runtime.js';
import { processActor } from './process-access.js';
import { processesRoutes } from './routes.js';
import { versionGuard } from '../../shared/domain/version-precondition.js';
import { Conflict, NotFound } from '../../shared/domain/errors.js';
import { orThrow } from '../../shared/domain/process/errors.js';

/** Who may act on the transitions out of the record's current state (so only the people those name are loaded). */
const whoFrom = (def: BlueprintDefinition, fields: RecordItem['fields']) => {
  const state = stateOf(def, fields);
  return def.transitions.filter((t) => (t.kind === 'common' ? t.to !== state : t.from === state)).flatMap((t) => t.before.who);
};

/** A transition as the front-end renders its form: the field metadata of what it asks, with its rules. */
const offer = (t: Transition, module: ModuleMetadata) => ({
  id: t.id,
  name: t.name,
  from: t.from ?? null,
  to: t.to ?? null,
  kind: t.kind,
  fields: t.during.fields.flatMap((f) => {
    const def = module.fields.find((m) => m.name === f.name);
    return def ? [{ ...def, required: f.required, ...(f.min !== undefined ? { min: f.min } : {}), ...(f.max !== undefined ? { max: f.max } : {}), ...(f.after !== undefined ? { after: f.after } : {}) }] : [];
  }),
  note: t.during.note,
  checklist: t.during.checklist,
});

/**
 * What this user may do now.
 * 1. The caller may read the record (403/404).
 * 2. No blueprint, or a locked record: nothing to do (an empty list).
 * 3. The record's blueprint version; the owner's manager chain where a transition names it.
 * 4. The engine keeps the transitions from this state that are theirs and whose criteria hold.
 */
export const listTransitionsOperation = implement(processesRoutes.listTransitions, async (req, deps) => {
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'read');
  const { record } = access;
  const procs = access.processes ?? (await getModuleProcesses(deps, access.module.name));
  await enforceOnRecord(deps, access, 'read', record);
  const binding = bindingOf(record, procs, deps.clock().toISOString(), deps.newId);
  if (!binding || record.lock) return json(200, { items: [] });
  const def = await loadBlueprintVersion(deps, binding.blueprintId, binding.version);
  const people = await loadPeople(deps, whoFrom(def, record.fields), { ownerId: record.ownerId });
  const items = availableTransitions(def, record.fields, binding, processActor(access.principal), people, deps.clock()).map((t) => offer(t, access.module));
  return json(200, { items, blueprintId: binding.blueprintId, blueprintVersion: binding.version, state: String(record.fields[def.field] ?? '') });
});

const transitionedData = (def: BlueprintDefinition, binding: { blueprintId: string; version: number }, r: TransitionResult, given: Record<string, unknown>, next: RecordItem) => ({
  module: next.module,
  recordId: next.id,
  blueprintId: binding.blueprintId,
  blueprintName: def.name,
  blueprintVersion: binding.version,
  transitionId: r.transition.id,
  transitionName: r.transition.name,
  kind: r.transition.kind,
  from: r.from,
  to: r.to,
  moved: r.moved,
  escalated: r.transition.kind === 'automatic' && r.transition.escalate === true,
  ...(r.note ? { note: r.note } : {}),
  checklist: r.checklist,
  // DynamoDB Local's stream cannot carry an empty map: a transition that asked nothing carries no `fields`.
  ...(Object.keys(given).length > 0 ? { fields: given } : {}),
  record: toRecordView(next),
});

/** The history entry (and bus event) of a transition, naming it, in the record's partition. */
export const transitionedHistory = (deps: AppDeps, def: BlueprintDefinition, binding: { blueprintId: string; version: number }, r: TransitionResult, given: Record<string, unknown>, next: RecordItem, ctx: ReturnType<typeof changeContext>, now: string): TransactItem =>
  processHistoryPut(deps, next.module, next.id, 'blueprint.transitioned', transitionedData(def, binding, r, given, next), ctx, now, {
    summary: `${r.transition.kind === 'automatic' ? 'Automatic transition' : 'Transition'} "${r.transition.name}" of "${def.name}": ${r.from} → ${r.to}${r.moved ? '' : ' (stays)'}`,
    ...(r.moved ? { changes: [{ field: def.field, old: r.from, new: r.to }] } : {}),
  });

/**
 * Perform a transition.
 * 1. The caller may read the module (the blueprint's "before" decides who performs what).
 * 2. In the records core's retry loop, from the record as read: its blueprint version (404 if none),
 *    then the engine: 409 not from this state, 403 not theirs, 422 criteria or during-fields.
 * 3. One transaction (channel `transition`: the governed field may change): the record, its binding
 *    (new stay in the new state), the record.updated and blueprint.transitioned history entries.
 *    A lost race re-reads and re-plans: the record has moved, so the loser gets 409 (412 with If-Match).
 * After-actions run from the blueprint.transitioned event, never inside this transaction.
 */
export const performTransitionOperation = implement(processesRoutes.performTransition, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const access = await moduleAccessWithRecord(req, deps, req.params.module, req.params.id, 'read');
  const ctx = changeContext(req, deps, 'blueprint');
  const actor = processActor(access.principal);
  let planned: { def: BlueprintDefinition; binding: { blueprintId: string; version: number }; result: TransitionResult } | undefined;
  const procs = access.processes ?? (await getModuleProcesses(deps, access.module.name));
  const blueprintId = procs.blueprint?.blueprintId;
  const { item } = await updateRecord(deps, access.module, req.params.id, { fields: {} }, ctx, {
    ...versionGuard(ifMatch, (current: RecordItem) => enforceOnRecord(deps, access, 'read', current)),
    channel: { kind: 'transition', blueprintId: blueprintId ?? '' },
    current: access.record,
    processes: procs,
    plan: async (current) => {
      const now = deps.clock().toISOString();
      const binding = bindingOf(current, procs, now, deps.newId);
      if (!binding) throw new NotFound(`No blueprint governs this ${access.module.name} record`);
      if (binding.blueprintId !== blueprintId) throw new Conflict('The record runs on a blueprint that is no longer published here; an admin must migrate it');
      const def = await loadBlueprintVersion(deps, binding.blueprintId, binding.version);
      const people = await loadPeople(deps, whoFrom(def, current.fields), { ownerId: current.ownerId });
      const result = orThrow(performTransition({ def, module: access.module, fields: current.fields, binding, transitionId: req.params.transitionId, input: req.body, actor, people, now, newToken: deps.newId(), phoneRegion: deps.defaultPhoneRegion }));
      planned = { def, binding, result };
      return { fields: result.patch, blueprint: result.binding };
    },
    extraItems: (_current, next) => {
      const p = planned as NonNullable<typeof planned>;
      return [transitionedHistory(deps, p.def, p.binding, p.result, req.body.fields ?? {}, next, ctx, next.updatedAt)];
    },
  });
  businessMetric('TransitionsMade', 1, { module: access.module.name, by: 'person' });
  return json(200, toRecordView(item), { ETag: etag(item.version) });
});
