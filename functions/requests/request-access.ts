import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Principal } from '../../shared/domain/access/index.js';
import { loadAccessContext } from '../../shared/db/access-context.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { getRecords, type RecordItem } from '../../shared/db/records-repo.js';
import { getRequestLocator, toRequestView, type RequestLocator, type RequestView } from '../../shared/db/requests-repo.js';
import { findAsMember } from '../records/record-access.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import type { TeamModule } from '../teams/team-access.js';
import { NotFound } from '../../shared/domain/errors.js';

export interface LoadedRequest {
  principal: Principal;
  module: TeamModule;
  locator: RequestLocator;
  record: RecordItem;
  /** The module's process state, read with the record (the records core's write guards). */
  processes?: ModuleProcesses;
}

/**
 * A request by id in two round trips: its locator, then (loadAccessContext) the caller with their
 * grants in the team module read consistently, the module, the record and its process state. 404 if
 * any is gone; a caller who is not in the directory is refused (403) before learning whether the
 * request exists.
 */
export const loadRequest = async (req: OperationRequest, deps: AppDeps, id: string): Promise<LoadedRequest> => {
  const notFound = `No request ${id}`;
  const locator = await findAsMember(req, deps, getRequestLocator(deps, id), notFound);
  const { principal, module, record, processes } = await loadAccessContext(deps, requireAuth(req), locator.module, id);
  if (!module?.ownerTeamId || module.kind !== 'team' || !record) throw new NotFound(notFound);
  return { principal, module: module as TeamModule, locator, record, ...(processes ? { processes } : {}) };
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
