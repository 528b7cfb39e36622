import type { AppDeps } from '../../shared/adapters/deps.js';
import type { BlueprintDefinition } from '../../shared/domain/blueprint/index.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { requireDefinition } from '../../shared/db/process-definitions-repo.js';
import { listRecords } from '../../shared/db/records-queries.js';
import { updateRecord, type RecordItem } from '../../shared/db/records-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { httpErrorOf } from '../../shared/http/errors.js';
import { implement, json } from '../../shared/http/operation.js';
import { loadBlueprintVersion } from './blueprint-runtime.js';
import { blueprintSpec, definitionOperations, definitionView, saveValidated } from './definitions.js';
import { manageAccess, readAsMember } from './process-access.js';
import { processesRoutes } from './routes.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, Conflict, type FieldError } from '../../shared/domain/errors.js';

export const blueprintDefinitionOperations = definitionOperations(blueprintSpec, {
  create: processesRoutes.createBlueprint,
  list: processesRoutes.listBlueprints,
  get: processesRoutes.getBlueprint,
  update: processesRoutes.updateBlueprint,
});

/**
 * Publish a blueprint.
 * 1. Head (404); may manage its module (403); If-Match on the revision (412).
 * 2. A module has one published blueprint: another one already governing it is a 409.
 * 3. Validate the draft against the module as it is now (400).
 * 4. One transaction: version n+1 (immutable), the head, the module's process state. From the next
 *    write on, the governed field changes only through transitions; records in flight keep their version.
 */
export const publishBlueprintOperation = implement(processesRoutes.publishBlueprint, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const head = await readAsMember(req, deps, requireDefinition<BlueprintDefinition>(deps, 'blueprint', req.params.id));
  const { module } = await manageAccess(req, deps, head.module);
  assertIfMatch(ifMatch, head.revision);
  const procs = await getModuleProcesses(deps, module.name);
  if (procs.blueprint && procs.blueprint.blueprintId !== head.id) throw new Conflict(`${module.name} is already governed by the blueprint "${procs.blueprint.name}"`);
  const saved = await saveValidated(deps, blueprintSpec, module, head, head.id, head.draft, true, changeContext(req, deps));
  return json(200, definitionView(saved), { ETag: etag(saved.revision) });
});

/**
 * Moves each record of `records` that runs on another version of blueprint `blueprintId` to `toVersion`:
 * its state mapped (kept when unmapped and still a state of the target, else skipped with the reason),
 * one write per record through the records core (channel `transition`), a new stay if the state
 * changed. A record the core refuses (locked 423, changed meanwhile) is skipped with the refusal.
 */
const migrateRecords = async (
  deps: AppDeps,
  module: ModuleMetadata,
  blueprintId: string,
  target: BlueprintDefinition,
  toVersion: number,
  mapping: Record<string, string>,
  records: readonly RecordItem[],
  ctx: ChangeContext,
) => {
  const migrated: Array<{ recordId: string; fromVersion: number; from: string; to: string }> = [];
  const skipped: Array<{ recordId: string; reason: string }> = [];
  for (const record of records) {
    const binding = record.blueprint;
    if (!binding || binding.blueprintId !== blueprintId || binding.version === toVersion) continue;
    const from = String(record.fields[target.field] ?? '');
    const to = mapping[from] ?? from;
    if (!target.states.includes(to)) {
      skipped.push({ recordId: record.id, reason: `State ${from} is not in version ${toVersion}: map it` });
      continue;
    }
    try {
      await updateRecord(deps, module, record.id, { fields: {} }, ctx, {
        channel: { kind: 'transition', blueprintId },
        plan: (current) => {
          const moved = current.fields[target.field] !== to;
          const bound = current.blueprint ?? binding;
          return {
            fields: moved ? { [target.field]: to } : {},
            blueprint: { ...bound, version: toVersion, ...(moved ? { enteredAt: deps.clock().toISOString(), parallelDone: [], token: deps.newId() } : {}) },
          };
        },
      });
      migrated.push({ recordId: record.id, fromVersion: binding.version, from, to });
    } catch (error) {
      const refusal = httpErrorOf(error);
      if (!refusal || refusal.status >= 500) throw error;
      skipped.push({ recordId: record.id, reason: refusal.detail });
    }
  }
  return { migrated, skipped };
};

/**
 * Migrate records in flight to a published version, one page of the module's records per call.
 * 1. Head (404); may manage its module (403); the target version exists (400).
 * 2. The mapping sends states to states of the target (400 at stateMapping.<state>).
 * 3. Each record of this blueprint on another version: its state is mapped (kept if unmapped and
 *    still a state of the target, else skipped with the reason); one write per record through the
 *    records core (channel `transition`, so the governed field may move), a new stay if the state
 *    changed; the history entry names the migration. Locked records are skipped (423), not forced.
 */
export const migrateBlueprintOperation = implement(processesRoutes.migrateBlueprint, async (req, deps) => {
  const head = await readAsMember(req, deps, requireDefinition<BlueprintDefinition>(deps, 'blueprint', req.params.id));
  const { module } = await manageAccess(req, deps, head.module);
  const toVersion = req.body.toVersion ?? head.publishedVersion;
  if (toVersion < 1 || toVersion > head.publishedVersion) throw new Invalid('No such published version', [{ path: 'toVersion', message: `Published versions are 1 to ${head.publishedVersion}` }]);
  const target = await loadBlueprintVersion(deps, head.id, toVersion);
  const badMapping: FieldError[] = Object.entries(req.body.stateMapping).flatMap(([from, to]) => (target.states.includes(to) ? [] : [{ path: `stateMapping.${from}`, message: `Not a state of version ${toVersion}: ${to}` }]));
  if (badMapping.length > 0) throw new Invalid('Invalid state mapping', badMapping);
  const ctx = { ...changeContext(req, deps, 'blueprint'), reason: `Migrated to version ${toVersion} of the blueprint "${target.name}"` };
  const page = await listRecords(deps, module.name, { limit: req.body.limit, ...(req.body.cursor ? { cursor: req.body.cursor } : {}), filters: {}, order: 'asc' });
  const { migrated, skipped } = await migrateRecords(deps, module, head.id, target, toVersion, req.body.stateMapping, page.items, ctx);
  return json(200, { toVersion, migrated, skipped, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});
