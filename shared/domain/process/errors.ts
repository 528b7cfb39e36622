import { domainError, type DomainError, type DomainErrorKind, type FieldError } from '../errors.js';

/**
 * What a process engine (blueprint, approval, review, write guards) decides: a value, or the domain
 * error that refuses it (shared/domain/errors.ts). Engines return these; callers unwrap with `orThrow`.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (kind: DomainErrorKind, message: string, errors: FieldError[] = []): Outcome<never> => ({
  ok: false,
  error: domainError(kind, message, errors),
});

/** The value of a successful outcome; a refusal is thrown as its domain error. */
export const orThrow = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
};
