import * as z from 'zod';
import { MAX_REASON_LENGTH } from './context.js';
import { ENTITY_TAG_LIST_MESSAGE, ENTITY_TAG_LIST_PATTERN } from './entity-tags.js';
import type { RouteSpec } from './route-spec.js';
import { Invalid } from '../domain/errors.js';
import { lazySchema } from '../domain/lazy-schema.js';

/** `*` or quoted entity tags, comma-separated (the pattern goes into OpenAPI). */
const entityTagList = lazySchema(() => z.string().max(1024).regex(new RegExp(ENTITY_TAG_LIST_PATTERN), ENTITY_TAG_LIST_MESSAGE));

/**
 * The request headers routes honour, with their limits. The same schemas validate requests (a bad value
 * is a 400 naming the header, before the use case runs) and document them in OpenAPI.
 */
export const RequestHeaderSchemas = {
  'If-Match': lazySchema(() => entityTagList.meta({ description: 'The ETag you read ("<version>", quoted), a list of them, or *; compared strongly (a weak W/ tag never matches); a stale one gets 412; an unquoted 1 is malformed (400)' })),
  'If-None-Match': lazySchema(() => entityTagList.meta({ description: 'ETags you hold ("<version>", quoted), a list of them, or *; when one matches the current ETag (weak comparison: W/"3" matches "3") the answer is 304 with no body' })),
  'Idempotency-Key': lazySchema(() => z.string().min(1).max(255).meta({ description: 'Replays within 24 h return the first response (with Idempotent-Replayed: true); reuse with a different body is 422' })),
  'X-Change-Reason': lazySchema(() => z.string().max(MAX_REASON_LENGTH).meta({ description: `Why you make this change (at most ${MAX_REASON_LENGTH} characters); kept in the history entry. On POST or PATCH of a record by an org admin, also the request to override a blueprint-governed field` })),
  'X-Correlation-Id': lazySchema(() => z.string().min(1).max(200).meta({ description: 'Ties the events this change causes together; defaults to the request id' })),
} as const;

export type RequestHeaderName = keyof typeof RequestHeaderSchemas;

/** Headers every authenticated change accepts. */
const CHANGE_HEADERS: readonly RequestHeaderName[] = ['X-Change-Reason', 'X-Correlation-Id'];

/** A GET whose answer carries an ETag answers If-None-Match (304 when a tag matches). */
export const answersIfNoneMatch = (spec: Pick<RouteSpec, 'method' | 'responses'>): boolean =>
  spec.method === 'GET' && (spec.responses[200]?.headers ?? []).includes('ETag');

type HeaderSpec = Pick<RouteSpec, 'method' | 'auth' | 'requestHeaders' | 'responses'>;

/** The headers a route honours: those it declares, If-None-Match where it applies, and the change headers on every authenticated change. */
export const requestHeadersOf = (spec: HeaderSpec): RequestHeaderName[] => [
  ...(spec.requestHeaders ?? []),
  ...(answersIfNoneMatch(spec) ? (['If-None-Match'] as const) : []),
  ...(spec.method !== 'GET' && spec.auth === 'jwt' ? CHANGE_HEADERS : []),
];

/** Checks the route's headers that are present (lower-cased names); a bad one is a 400 naming it. */
export const checkRequestHeaders = (spec: HeaderSpec, headers: Record<string, string | undefined>): void => {
  for (const name of requestHeadersOf(spec)) {
    const value = headers[name.toLowerCase()];
    if (value === undefined) continue;
    const result = RequestHeaderSchemas[name].safeParse(value);
    if (!result.success) throw new Invalid(`Invalid ${name} header`, result.error.issues.map((issue) => ({ path: name, message: issue.message })));
  }
};
