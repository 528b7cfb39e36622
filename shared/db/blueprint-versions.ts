import type { AppDeps } from '../adapters/deps.js';
import type { BlueprintDefinition } from '../domain/blueprint/definition.js';
import { getDefinitionVersion } from './process-definitions-repo.js';

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
