import type { AppDeps } from '../../shared/adapters/deps.js';
import type { BlueprintDefinition } from '../../shared/domain/blueprint/index.js';
import { criteriaHold } from '../../shared/domain/process/criteria.js';
import type { BlueprintBinding } from '../../shared/domain/records/write-guards.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { getDefinitionVersion } from '../../shared/db/process-definitions-repo.js';
import type { RecordItem } from '../../shared/db/records-repo.js';

/** Published versions never change: each warm Lambda keeps the ones it read. */
const versions = new Map<string, BlueprintDefinition>();

export const loadBlueprintVersion = async (deps: AppDeps, id: string, version: number): Promise<BlueprintDefinition> => {
  const key = `${deps.tableName}#${id}#${version}`;
  const cached = versions.get(key);
  if (cached) return cached;
  const found = await getDefinitionVersion<BlueprintDefinition>(deps, 'blueprint', id, version);
  if (!found) throw new Error(`Blueprint ${id} version ${version} is missing`);
  versions.set(key, found.def);
  return found.def;
};

/**
 * The blueprint a record runs on: its own binding (the version it entered with, or was migrated to),
 * or — for a record that matches the module's published blueprint but has not been written since it
 * was published — the current version, entered now.
 */
export const bindingOf = (record: RecordItem, procs: ModuleProcesses, now: string, newToken: () => string): BlueprintBinding | undefined => {
  if (record.blueprint) return record.blueprint;
  const bp = procs.blueprint;
  if (!bp || !criteriaHold(bp.entryCriteria, record.fields)) return undefined;
  return { blueprintId: bp.blueprintId, version: bp.version, enteredAt: now, parallelDone: [], token: newToken() };
};
