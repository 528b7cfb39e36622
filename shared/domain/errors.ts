/**
 * The outcomes the domain refuses with: engines return or throw these, repositories throw them, and
 * the HTTP edge maps each `kind` to a status in one place (shared/http/errors.ts). Nothing here knows
 * about HTTP.
 */

/** What is wrong with one input, at its path (`fields.email`, `criteria.0.value`, `If-Match`). */
export interface FieldError {
  path: string;
  message: string;
}

export type DomainErrorKind =
  /** The definition or input is malformed (400). */
  | 'invalid'
  /** The caller may not do this (403). */
  | 'forbidden'
  /** The thing does not exist for this caller (404). */
  | 'not-found'
  /** The thing moved on, or exists already (409). */
  | 'conflict'
  /** The caller's copy is older than the stored version (412). */
  | 'stale'
  /** A rule refuses well-formed input: governed field, criteria unmet, a limit reached (422). */
  | 'rule'
  /** The record is locked by a pending approval or review (423). */
  | 'locked';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  constructor(message: string, errors?: FieldError[]) {
    super('invalid', message, errors);
  }
}
export class Forbidden extends DomainError {
  constructor(message = 'You do not have permission to do this') {
    super('forbidden', message);
  }
}
export class NotFound extends DomainError {
  constructor(message = 'Not found') {
    super('not-found', message);
  }
}
export class Conflict extends DomainError {
  constructor(message: string, errors?: FieldError[]) {
    super('conflict', message, errors);
  }
}
export class StaleVersion extends DomainError {
  constructor(message = 'The resource has changed since you read it (If-Match does not match the current version)') {
    super('stale', message);
  }
}
export class Unprocessable extends DomainError {
  constructor(message: string, errors?: FieldError[]) {
    super('rule', message, errors);
  }
}
export class Locked extends DomainError {
  constructor(message: string) {
    super('locked', message);
  }
}

const CLASS_OF_KIND = {
  invalid: Invalid,
  forbidden: Forbidden,
  'not-found': NotFound,
  conflict: Conflict,
  stale: StaleVersion,
  rule: Unprocessable,
  locked: Locked,
} satisfies Record<DomainErrorKind, new (message: string, errors?: FieldError[]) => DomainError>;

/** The error of this kind, as its own class (so `instanceof Conflict` holds whoever built it). */
export const domainError = (kind: DomainErrorKind, message: string, errors: FieldError[] = []): DomainError =>
  new CLASS_OF_KIND[kind](message, errors);
