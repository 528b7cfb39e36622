import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Principal } from '../../shared/domain/access/index.js';
import { loadAccessContext, type Item } from '../../shared/db/access-context.js';
import type { Key } from '../../shared/db/keys.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { getRecords, type RecordItem } from '../../shared/db/records-repo.js';
import type { HistoryItem } from '../../shared/db/history.js';
import { readRequestPartition, toRequestView, type RequestLocator, type RequestView } from '../../shared/db/requests-repo.js';
import { findAsMember } from '../records/record-access.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import type { TeamModule } from '../teams/team-access.js';
import { NotFound } from '../../shared/domain/errors.js';

export interface LoadedRequest {
  principal: Principal;
  module: TeamModule;
  locator: RequestLocator;
  record: RecordItem;
  /** The request's history as read with its locator (the newest entries, oldest first). */
  history: HistoryItem[];
  /** The module's process state, read with the record (the records core's write guards). */
  processes?: ModuleProcesses;
  /** The items of `extra` that exist, read in the same batch. */
  extra: Item[];
}

/**
 * A request by id in two round trips: its partition (the locator and its history, one Query), then
 * (loadAccessContext) the caller with their grants in the team module read consistently, the module,
 * the record and its process state. 404 if any is gone; a caller who is not in the directory is refused
 * (403) before learning whether the request exists. `extra`: other keys the command needs (knowing the
 * request's team), read in the same batch.
 */
export const loadRequest = async (req: OperationRequest, deps: AppDeps, id: string, extra: (locator: RequestLocator) => readonly Key[] = () => []): Promise<LoadedRequest> => {
  const notFound = `No request ${id}`;
  const { locator: found, history } = await readRequestPartition(deps, id);
  const locator = await findAsMember(req, deps, Promise.resolve(found), notFound);
  const context = await loadAccessContext(deps, requireAuth(req), locator.module, id, { extra: extra(locator) });
  const { principal, module, record, processes } = context;
  if (!module?.ownerTeamId || module.kind !== 'team' || !record) throw new NotFound(notFound);
  return { principal, module: module as TeamModule, locator, record, history, ...(processes ? { processes } : {}), extra: context.extra };
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
