import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Principal } from '../../shared/domain/access/index.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { getRecords, requireRecord, type RecordItem } from '../../shared/db/records-repo.js';
import { getRequestLocator, toRequestView, type RequestLocator, type RequestView } from '../../shared/db/requests-repo.js';
import { loadPrincipalFor, moduleScope } from '../../shared/db/team-grants.js';
import { assertInDirectory } from '../../shared/db/users-repo.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import type { TeamModule } from '../teams/team-access.js';
import { NotFound } from '../../shared/domain/errors.js';

export interface LoadedRequest {
  principal: Principal;
  module: TeamModule;
  locator: RequestLocator;
  record: RecordItem;
}

/** A request by id: its locator, team module and record, and the caller with grants read consistently. 404 if any is gone. */
export const loadRequest = async (req: OperationRequest, deps: AppDeps, id: string): Promise<LoadedRequest> => {
  const notFound = `No request ${id}`;
  // A caller who is not in the directory is refused (403) before learning whether the request exists.
  const [locator] = await Promise.all([getRequestLocator(deps, id), assertInDirectory(deps, requireAuth(req))]);
  if (!locator) throw new NotFound(notFound);
  const module = await getModule(deps, locator.module);
  if (!module?.ownerTeamId || module.kind !== 'team') throw new NotFound(notFound);
  const [principal, record] = await Promise.all([
    loadPrincipalFor(deps, requireAuth(req), moduleScope(module)),
    // Only a missing record is a 404 (with the module's wording); throttling or network errors surface.
    requireRecord(deps, module.name, id).catch((error: unknown) => {
      throw error instanceof NotFound ? new NotFound(notFound) : error;
    }),
  ]);
  return { principal, module: module as TeamModule, locator, record };
};

/** Request views for a page of locators (records read in batches per module; a deleted record drops out). */
export const viewsOf = async (deps: AppDeps, locators: readonly RequestLocator[]): Promise<RequestView[]> => {
  const byModule = new Map<string, string[]>();
  for (const l of locators) byModule.set(l.module, [...(byModule.get(l.module) ?? []), l.id]);
  const records = new Map<string, RecordItem>();
  for (const [module, ids] of byModule) for (const r of await getRecords(deps, module, ids)) records.set(r.id, r);
  return locators.flatMap((l) => {
    const record = records.get(l.id);
    return record ? [toRequestView(record, l)] : [];
  });
};
