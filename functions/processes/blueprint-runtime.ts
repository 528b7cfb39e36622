import { criteriaHold } from '../../shared/domain/criteria/index.js';
import type { BlueprintBinding } from '../../shared/domain/records/write-guards.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import type { RecordItem } from '../../shared/db/records-repo.js';

export { loadBlueprintVersion } from '../../shared/db/blueprint-versions.js';

/**
 * The blueprint a record runs on: its own binding (the version it entered with, or was migrated to),
 * or — for a record that matches the module's published blueprint but has not been written since it
 * was published — the current version, entered now.
 */
export const bindingOf = (record: RecordItem, procs: ModuleProcesses, now: string, newToken: () => string): BlueprintBinding | undefined => {
  if (record.blueprint) return record.blueprint;
  const bp = procs.blueprint;
  if (!bp || !criteriaHold(bp.entryCriteria, record.fields, new Date(now))) return undefined;
  return { blueprintId: bp.blueprintId, version: bp.version, enteredAt: now, parallelDone: [], token: newToken() };
};
