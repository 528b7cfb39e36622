import type { AppDeps } from '../../shared/adapters/deps.js';
import type { Principal } from '../../shared/domain/access/index.js';
import { loadAccessContext, sameKey, type AccessContext, type Item } from '../../shared/db/access-context.js';
import { requestKeys, type Key } from '../../shared/db/keys.js';
import { knownOwnerTeam } from '../../shared/db/modules-repo.js';
import { batchGet } from '../../shared/db/query.js';
import { historyCopyFromItem, type HistoryCopyState } from '../../shared/db/request-history-copy.js';
import { requestIdModule } from '../../shared/domain/teams/request-id.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { getRecords, type RecordItem } from '../../shared/db/records-repo.js';
import { readRequestPartition, toRequestView, type RequestHistoryView, type RequestLocator, type RequestView } from '../../shared/db/requests-repo.js';
import { findAsMember } from '../records/record-access.js';
import { requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import type { TeamModule } from '../teams/team-access.js';
import { NotFound } from '../../shared/domain/errors.js';

export interface LoadedRequest {
  principal: Principal;
  module: TeamModule;
  locator: RequestLocator;
  record: RecordItem;
  /** The request's history (the newest entries, oldest first). */
  history: RequestHistoryView[];
  /** The request's history copy as read (absent for a request written before copies): what a change adds to. */
  historyCopy?: HistoryCopyState;
  /** The module's process state, read with the record (the records core's write guards). */
  processes?: ModuleProcesses;
  /** The items of `extra` that exist, read in the same batch. */
  extra: Item[];
}

/** Other keys a command needs, knowing the request's module and its team. */
type ExtraKeys = (scope: { module: string; teamId: string }) => readonly Key[];

/** What loadAccessContext answers about a request's module and record, or 404. */
const requestContext = (context: AccessContext, notFound: string) => {
  const { principal, module, record, processes } = context;
  if (!module?.ownerTeamId || module.kind !== 'team' || !record) throw new NotFound(notFound);
  return { principal, module: module as TeamModule, record, ...(processes ? { processes } : {}) };
};

/**
 * A request whose id names its module (request-id.ts), in ONE BatchGetItem (loadAccessContext): the
 * caller (403 if not in the directory) with their grants in the module's team, read consistently, the
 * module, the record, its process state, the request's locator and its history copy, and `extra` when
 * the module's team is known to this container. A history that the copy does not hold whole is read
 * from the request's partition (+1); so is `extra` in a container that has not seen the module (+1, with
 * the caller's grants: loadAccessContext). Undefined when the locator names another module (the id's
 * hint does not hold): the request is then read by its partition.
 */
const loadNamedRequest = async (req: OperationRequest, deps: AppDeps, id: string, named: string, extra: ExtraKeys, notFound: string): Promise<LoadedRequest | undefined> => {
  const locatorKey = requestKeys.key(id);
  const copyKey = requestKeys.historyCopy(id);
  const teamId = knownOwnerTeam(deps, named);
  const early = typeof teamId === 'string' ? extra({ module: named, teamId }) : undefined;
  const context = await loadAccessContext(deps, requireAuth(req), named, id, { extra: [locatorKey, copyKey, ...(early ?? [])] });
  const locator = context.extra.find(sameKey(locatorKey)) as unknown as RequestLocator | undefined;
  if (locator && locator.module !== named) return undefined;
  if (!locator) throw new NotFound(notFound);
  const found = requestContext(context, notFound);
  const copy = historyCopyFromItem(context.extra.find(sameKey(copyKey)));
  const history = copy?.entries ?? (await readRequestPartition(deps, id)).history;
  const keys = early ?? extra({ module: named, teamId: locator.teamId });
  const items = early ? context.extra : keys.length > 0 ? await batchGet<Item>(deps, keys, true) : [];
  return { ...found, locator, history, ...(copy ? { historyCopy: copy.state } : {}), extra: keys.flatMap((key) => items.filter(sameKey(key))) };
};

/**
 * A request by its partition (an id that names no module), in two round trips: its partition (the
 * locator and its history, one Query), then (loadAccessContext) the caller with their grants in the
 * team module read consistently, the module, the record, its process state and `extra`.
 */
const loadRequestByPartition = async (req: OperationRequest, deps: AppDeps, id: string, extra: ExtraKeys, notFound: string): Promise<LoadedRequest> => {
  const { locator: found, history } = await readRequestPartition(deps, id);
  const locator = await findAsMember(req, deps, Promise.resolve(found), notFound);
  const context = await loadAccessContext(deps, requireAuth(req), locator.module, id, { extra: extra(locator) });
  return { ...requestContext(context, notFound), locator, history, extra: context.extra };
};

/**
 * A request by id, with the caller's access to it: 404 if any of it is gone; a caller who is not in the
 * directory is refused (403) before learning whether the request exists. One round trip for an id that
 * names its module (every request submitted since ids do) whose history the copy holds, else two.
 * `extra`: other keys the command needs (knowing the request's team), read with it.
 */
export const loadRequest = async (req: OperationRequest, deps: AppDeps, id: string, extra: ExtraKeys = () => []): Promise<LoadedRequest> => {
  const notFound = `No request ${id}`;
  const named = requestIdModule(id);
  return (named ? await loadNamedRequest(req, deps, id, named, extra, notFound) : undefined) ?? loadRequestByPartition(req, deps, id, extra, notFound);
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
