import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import type { AuthContext } from '../domain/access/principal.js';
import { Conflict, NotFound } from '../domain/errors.js';
import { loadAccessContext, sameKey, type AccessContext, type Item } from './access-context.js';
import type { Key } from './keys.js';
import { hintCache } from './published-cache.js';
import { assertInDirectory } from './users-repo.js';

/** Which module each definition (by table and key) was for when this container last read it. */
const moduleHints = hintCache<string>();

export interface DefinitionAccess {
  /** The access context for the definition's module, read in the same batch as the definition. */
  context: AccessContext;
  /** The definition's item as that batch read it (consistently). */
  definition: Item;
}

/**
 * A command or read on a definition that names its module (a wizard, a cadence): the definition, the
 * caller's access context for that module and whatever else the command reads there (`extra`, from the
 * module's name: records, enrollments…), all in ONE consistent BatchGetItem (loadAccessContext). The module
 * is named from this container's hint (an earlier read of the same definition), then checked against the
 * definition read: without a hint, the definition is read first (one more round trip, once per container);
 * with a wrong one (the definition now names another module), the batch is read again for the right module.
 * A missing definition is a 404 (`notFound`), after the caller's directory check (403 first, as everywhere).
 */
export const loadDefinitionAccess = async (
  deps: AppDeps,
  auth: AuthContext,
  definitionKey: Key,
  moduleOf: (definition: Item) => string,
  notFound: string,
  options: { processes?: boolean; extra?: (module: string) => readonly Key[] } = {},
): Promise<DefinitionAccess> => {
  const hintKey = [deps.tableName, definitionKey.PK, definitionKey.SK];
  let module = moduleHints.get(hintKey);
  if (module === undefined) {
    const res = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: definitionKey, ConsistentRead: true }));
    if (!res.Item) {
      await assertInDirectory(deps, auth);
      throw new NotFound(notFound);
    }
    module = moduleOf(res.Item as Item);
  }
  for (let attempt = 1; ; attempt++) {
    const context = await loadAccessContext(deps, auth, module, undefined, {
      ...(options.processes ? { processes: true } : {}),
      extra: [definitionKey, ...(options.extra?.(module) ?? [])],
    });
    const definition = context.extra.find(sameKey(definitionKey));
    if (!definition) throw new NotFound(notFound);
    const named = moduleOf(definition);
    moduleHints.set(hintKey, named);
    if (named === module) return { context: { ...context, extra: context.extra.filter((item) => item !== definition) }, definition };
    if (attempt >= 3) throw new Conflict('The definition keeps moving between modules; try again');
    module = named;
  }
};
