/**
 * Errors that carry their HTTP status. One middleware turns them into problem+json;
 * anything else becomes a 500 with no internals exposed.
 */
export interface FieldError {
  path: string;
  message: string;
}

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

export class BadRequest extends HttpError {
  constructor(detail: string, errors?: FieldError[]) {
    super(400, 'Bad Request', detail, errors);
  }
}
export class Unauthorized extends HttpError {
  constructor(detail = 'A valid bearer token is required') {
    super(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}
export class Forbidden extends HttpError {
  constructor(detail = 'You do not have permission to do this') {
    super(403, 'Forbidden', detail);
  }
}
export class NotFound extends HttpError {
  constructor(detail = 'Not found') {
    super(404, 'Not Found', detail);
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
export class Conflict extends HttpError {
  constructor(detail: string, errors?: FieldError[]) {
    super(409, 'Conflict', detail, errors);
  }
}
export class PreconditionFailed extends HttpError {
  constructor(detail = 'The resource has changed since you read it (If-Match does not match the current version)') {
    super(412, 'Precondition Failed', detail);
  }
}
export class Unprocessable extends HttpError {
  constructor(detail: string, errors?: FieldError[]) {
    super(422, 'Unprocessable Entity', detail, errors);
  }
}
export class Locked extends HttpError {
  constructor(detail: string) {
    super(423, 'Locked', detail);
  }
}
export class TooManyRequests extends HttpError {
  constructor(detail = 'Too many requests') {
    super(429, 'Too Many Requests', detail);
  }
}

export const isHttpError = (e: unknown): e is HttpError => e instanceof HttpError;
