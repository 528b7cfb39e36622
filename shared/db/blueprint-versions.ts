import type { AppDeps } from '../adapters/deps.js';
import type { BlueprintDefinition } from '../domain/blueprint/definition.js';
import { getDefinitionVersion } from './process-definitions-repo.js';

/** A published blueprint version (read once per container: see getDefinitionVersion). */
export const loadBlueprintVersion = async (deps: AppDeps, id: string, version: number): Promise<BlueprintDefinition> => {
  const found = await getDefinitionVersion<BlueprintDefinition>(deps, 'blueprint', id, version);
  if (!found) throw new Error(`Blueprint ${id} version ${version} is missing`);
  return found.def;
};
