import { MAX_HINTED_ID_LENGTH, composeHintedId, idHints } from '../hinted-id.js';

/**
 * A request's id names its team module: `<ulid>.<module>` (shared/domain/hinted-id.ts). A read of one
 * request (`GET /v1/requests/{id}`) can then fetch the request, its record and the caller's grants in
 * the module's team in ONE round trip, instead of reading the request first to learn where its record
 * lives. The id is only a hint: the request's locator says which module it belongs to, and a hint that
 * disagrees (an older plain id that happens to contain a dot) is ignored.
 */
/** The routes' bound on a request id (RequestParams, RecordParams). */
export const MAX_REQUEST_ID_LENGTH = MAX_HINTED_ID_LENGTH;

const MODULE_NAME = /^[A-Z][A-Za-z0-9]{1,63}$/;

/** The id of a new request; a plain id when the module's name would make it too long. */
export const composeRequestId = (unique: string, module: string): string => composeHintedId(unique, [module], MODULE_NAME.test(module));

/** The team module a request id names, if it names one. */
export const requestIdModule = (id: string): string | undefined => {
  const [module] = idHints(id, 1) ?? [];
  return module && MODULE_NAME.test(module) ? module : undefined;
};
