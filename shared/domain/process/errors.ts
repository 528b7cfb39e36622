import type { FieldError } from '../../http/errors.js';

/**
 * What a process engine (blueprint, approval, review, write guards) refuses, and why. Engines return
 * these; the edge maps `kind` to an HTTP status (shared/http/process-errors.ts).
 */
export type ProcessErrorKind =
  /** The caller may not do this (403). */
  | 'forbidden'
  /** The thing does not exist for this caller (404). */
  | 'not-found'
  /** The record or process moved on (409). */
  | 'conflict'
  /** A rule of the process refuses it: governed field, criteria unmet, mandatory field missing (422). */
  | 'rule'
  /** The record is locked by a pending approval or review (423). */
  | 'locked'
  /** The definition or input is malformed (400). */
  | 'invalid';

export class ProcessError extends Error {
  constructor(
    readonly kind: ProcessErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ProcessError';
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ProcessError };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = (kind: ProcessErrorKind, message: string, errors: FieldError[] = []): Outcome<never> => ({
  ok: false,
  error: new ProcessError(kind, message, errors),
});
