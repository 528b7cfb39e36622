/**
 * A request's id names its team module: `<ulid>.<module>`. A read of one request (`GET
 * /v1/requests/{id}`) can then fetch the request, its record and the caller's grants in the module's
 * team in ONE round trip, instead of reading the request first to learn where its record lives. The
 * id is only a hint: the request's locator says which module it belongs to, and a hint that disagrees
 * (an older plain id that happens to contain a dot) is ignored.
 */
const SEP = '.';
/** The routes' bound on a request id (RequestParams, RecordParams). */
export const MAX_REQUEST_ID_LENGTH = 64;

const MODULE_NAME = /^[A-Z][A-Za-z0-9]{1,63}$/;

/** The id of a new request; a plain id when the module's name would make it too long. */
export const composeRequestId = (unique: string, module: string): string => {
  const id = `${unique}${SEP}${module}`;
  const named = unique !== '' && !unique.includes(SEP) && MODULE_NAME.test(module);
  return named && id.length <= MAX_REQUEST_ID_LENGTH ? id : unique;
};

/** The team module a request id names, if it names one. */
export const requestIdModule = (id: string): string | undefined => {
  const [unique, module, ...rest] = id.split(SEP);
  return unique && module && rest.length === 0 && MODULE_NAME.test(module) ? module : undefined;
};
