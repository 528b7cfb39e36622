/**
 * Ids that carry hints after their unique part, `<unique>.<hint>.<hint>…` (a kiosk run names its kiosk
 * version, a request its team module), so that a read can fetch what the hint points at in the same
 * round trip as the item itself. A hint is never trusted: the item says what it belongs to, and a hint
 * that disagrees is ignored. An id that would be too long, or ambiguous, is the plain unique part.
 */
const SEP = '.';
/** The routes' bound on an id (RunParams, RequestParams, RecordParams). */
export const MAX_HINTED_ID_LENGTH = 64;

/** `<unique>.<hints…>` when `valid` and it fits; else the plain unique part. */
export const composeHintedId = (unique: string, hints: readonly string[], valid: boolean): string => {
  const id = [unique, ...hints].join(SEP);
  const named = valid && unique !== '' && !unique.includes(SEP) && hints.every((hint) => hint !== '' && !hint.includes(SEP));
  return named && id.length <= MAX_HINTED_ID_LENGTH ? id : unique;
};

/** The `count` hints an id carries, or undefined when it carries none (or another number). */
export const idHints = (id: string, count: number): string[] | undefined => {
  const [unique, ...hints] = id.split(SEP);
  return unique && hints.length === count && hints.every((hint) => hint !== '') ? hints : undefined;
};

/** The unique part (a time-ordered id), e.g. to derive ids of what the item creates. */
export const uniquePart = (id: string): string => id.split(SEP)[0] ?? id;
