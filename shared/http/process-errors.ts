import type { ProcessError } from '../domain/process/errors.js';
import { BadRequest, Conflict, Forbidden, Locked, NotFound, Unprocessable, type HttpError } from './errors.js';

/** The edge's mapping of a process engine's refusal to its HTTP error (problem+json with field paths). */
export const processHttpError = (e: ProcessError): HttpError => {
  switch (e.kind) {
    case 'forbidden':
      return new Forbidden(e.message);
    case 'not-found':
      return new NotFound(e.message);
    case 'conflict':
      return new Conflict(e.message, e.errors.length > 0 ? e.errors : undefined);
    case 'rule':
      return new Unprocessable(e.message, e.errors.length > 0 ? e.errors : undefined);
    case 'locked':
      return new Locked(e.message);
    case 'invalid':
      return new BadRequest(e.message, e.errors);
  }
};

/** The value of a successful outcome, or the mapped HTTP error. */
export const orThrow = <T>(outcome: { ok: true; value: T } | { ok: false; error: ProcessError }): T => {
  if (!outcome.ok) throw processHttpError(outcome.error);
  return outcome.value;
};
