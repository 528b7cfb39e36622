import { DomainError, type DomainErrorKind, type FieldError } from '../domain/errors.js';

/**
 * Errors that carry their HTTP status. The domain's outcomes (shared/domain/errors.ts) get theirs
 * here, in `httpErrorOf`; one middleware turns either into problem+json, and anything else becomes
 * a 500 with no internals exposed. Only what HTTP alone knows about (401, 405, 413, 415, 503)
 * is thrown as an HttpError directly; a 429 comes from API Gateway's throttling, not from Keiro's code.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
  get detail(): string {
    return this.message;
  }
}

export class Unauthorized extends HttpError {
  constructor(detail = 'A valid bearer token is required') {
    super(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}
/** 405 with `Allow`, the methods the resource does take (RFC 9110 §15.5.6). */
export class MethodNotAllowed extends HttpError {
  constructor(allowed: readonly string[]) {
    super(405, 'Method Not Allowed', `Allowed: ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
  }
}
/** 415 with `Accept`, the media types the route takes (RFC 9110 §15.5.16). */
export class UnsupportedMediaType extends HttpError {
  constructor(accepted: readonly string[]) {
    super(415, 'Unsupported Media Type', `The request body must be ${accepted.join(' or ')}`, [{ path: 'Content-Type', message: `Expected ${accepted.join(' or ')}` }], { Accept: accepted.join(', ') });
  }
}

/** The one mapping of a domain outcome to its HTTP status and title. */
const STATUS_OF_KIND: Record<DomainErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Bad Request' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  stale: { status: 412, title: 'Precondition Failed' },
  // RFC 9110 §15.5.21 names 422 "Unprocessable Content" (RFC 4918's "Entity" is obsolete).
  rule: { status: 422, title: 'Unprocessable Content' },
  locked: { status: 423, title: 'Locked' },
};

/** A thrown value as the HTTP error it answers with; undefined for anything unexpected (a 500). */
export const httpErrorOf = (error: unknown): HttpError | undefined => {
  if (error instanceof HttpError) return error;
  if (!(error instanceof DomainError)) return undefined;
  const { status, title } = STATUS_OF_KIND[error.kind];
  return new HttpError(status, title, error.message, error.errors.length > 0 ? error.errors : undefined);
};

/** A refusal the caller can act on (a 4xx), as opposed to a fault of ours. */
export const isClientError = (error: unknown): boolean => (httpErrorOf(error)?.status ?? 500) < 500;
