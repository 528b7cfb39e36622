/**
 * A malformed event pattern. Thrown by `validatePattern` and `matchesPattern` so that a bad pattern
 * is a loud error at the first test run, never a subscription that silently matches nothing.
 */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';

  /**
   * @param path JSONPath-style location of the fault inside the pattern, e.g. `$.detail.state[0]`.
   * @param reason what is wrong there.
   */
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Invalid event pattern at ${path}: ${reason}`);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Extends a JSONPath-style location: `.name` for identifiers, `["detail-type"]` otherwise, `[3]` for indexes. */
export const childPath = (parent: string, key: string | number): string => {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
};
