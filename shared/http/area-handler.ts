import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import middy from '@middy/core';
import type { AppDeps } from '../adapters/deps.js';
import { correlationIdFrom, log, observe, withLambdaContext } from '../adapters/telemetry.js';
import { idempotencyScope } from '../db/idempotency-scope.js';
import { idempotencyKeys } from '../db/keys.js';
import { assertInDirectory } from '../db/users-repo.js';
import { authFromClaims } from './auth.js';
import { MethodNotAllowed, Unauthorized, UnsupportedMediaType, httpErrorOf, isClientError } from './errors.js';
import { FORM_MEDIA_TYPE, JSON_MEDIA_TYPE, acceptsMediaType, parseMediaType } from './media-types.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash } from './idempotency.js';
import type { Operation, OperationRequest, OperationResult } from './operation.js';
import { PROBLEM_CONTENT_TYPE, problemFrom, problemResponse } from './problem.js';
import { answersIfNoneMatch, checkRequestHeaders } from './request-headers.js';
import { answerIfNoneMatch } from './conditional-get.js';
import { allowedMethods, routeKey } from './route-spec.js';
import { parseOrThrow } from './validation.js';
import type { AuthContext } from '../domain/access/principal.js';
import { Invalid, NotFound } from '../domain/errors.js';

/** The API Gateway v2 event, with the claims the JWT authorizer (or the local server) verified. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown>; scopes?: string[] } };
  };
};
export type HttpResponse = APIGatewayProxyStructuredResultV2;
/** An area's Lambda handler; the local API server calls it without a Lambda context. */
export type HttpHandler = (event: HttpEvent, context?: Context) => Promise<HttpResponse>;

const lowerCaseHeaders = (headers: Record<string, string | undefined> | undefined): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

const decodeParams = (params: Record<string, string | undefined> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(params ?? {})
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => {
        try {
          return [k, decodeURIComponent(v)];
        } catch {
          throw new Invalid('Malformed path parameter', [{ path: k, message: 'Invalid percent-encoding' }]);
        }
      }),
  );

const rawBody = (event: HttpEvent): string | undefined => {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

/**
 * Paths of every own `__proto__` key in a parsed body. JSON.parse makes it an own key, and zod's
 * object and record parsing drop it silently, so `{"fields":{"__proto__":{…}}}` would answer 200
 * and write nothing: it is refused where it comes in, at its path, as any unknown field is.
 */
const prototypeKeyPaths = (value: unknown): string[] => {
  const found: string[] = [];
  const stack: Array<[unknown, string[]]> = [[value, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Object.hasOwn(node, '__proto__')) found.push([...path, '__proto__'].join('.'));
    for (const [key, child] of Object.entries(node)) stack.push([child, [...path, key]]);
  }
  return found;
};

const withoutPrototypeKeys = (body: unknown): unknown => {
  const paths = prototypeKeyPaths(body);
  if (paths.length > 0) throw new Invalid('Invalid request body', paths.map((path) => ({ path, message: 'Not an allowed key' })));
  return body;
};

const parseJsonBody = (text: string | undefined): unknown => {
  if (text === undefined || text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Invalid('The request body is not valid JSON', [{ path: '(body)', message: 'Malformed JSON' }]);
  }
  return withoutPrototypeKeys(body);
};

/** The body as the route's declared media type: JSON unless it takes a form on purpose; anything else is 415. */
const parseBody = (operation: Operation, text: string | undefined, contentType: string | undefined): unknown => {
  if (text === undefined || text === '') return undefined;
  const accepted = operation.spec.requestContentTypes ?? [JSON_MEDIA_TYPE];
  if (!acceptsMediaType(accepted, contentType)) throw new UnsupportedMediaType(accepted);
  if (parseMediaType(contentType ?? '')?.essence === FORM_MEDIA_TYPE) return withoutPrototypeKeys(Object.fromEntries(new URLSearchParams(text)));
  return parseJsonBody(text);
};

const toResponse = (result: OperationResult): HttpResponse => {
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  if (result.text !== undefined) return { statusCode: result.status, headers, body: result.text };
  if (result.body === undefined) return { statusCode: result.status, headers };
  // A text body with its own content type (e.g. an SVG image) goes out as it is.
  if (typeof result.body === 'string' && headers['content-type']) return { statusCode: result.status, headers, body: result.body };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(result.body),
  };
};

const buildRequest = (operation: Operation, event: HttpEvent, auth: AuthContext | null): OperationRequest => {
  const { spec } = operation;
  const headers = lowerCaseHeaders(event.headers);
  // Checked before anything else is parsed: the media type is wrong whatever the params say. A command
  // that takes no body still reads what it is sent (415 for another media type, 400 for broken JSON);
  // a GET's body has no meaning and is ignored (RFC 9110 §9.3.1).
  const body = spec.method !== 'GET' ? parseBody(operation, rawBody(event), headers['content-type']) : undefined;
  checkRequestHeaders(spec, headers);
  return {
    params: spec.params ? parseOrThrow(spec.params, decodeParams(event.pathParameters), 'path parameters') : {},
    query: spec.query ? parseOrThrow(spec.query, event.queryStringParameters ?? {}, 'query parameters') : {},
    body: spec.body ? parseOrThrow(spec.body, body, 'request body') : undefined,
    auth,
    headers,
    requestId: event.requestContext?.requestId ?? '',
  };
};

/**
 * Bad input is a 400, except for a caller who is not in the organisation's directory: they get the 403
 * every route gives them, whatever they send (they learn nothing about request shapes or headers). Valid
 * requests are refused where the principal is loaded (in the same read as the rest); only this error
 * path reads the directory entry on its own.
 */
const refuseOutsidersOnBadInput = async <T>(auth: AuthContext | null, deps: AppDeps, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    // 400, 413, 415: whatever is wrong with what they sent, an outsider hears only that they are not in the directory.
    if (auth && isClientError(error)) await assertInDirectory(deps, auth);
    throw error;
  }
};

/** Runs the operation; a POST with Idempotency-Key runs at most once and replays its first response. */
const runWithIdempotency = async (
  operation: Operation,
  event: HttpEvent,
  req: OperationRequest,
  deps: AppDeps,
): Promise<OperationResult> => {
  const key = req.headers['idempotency-key'];
  if (operation.spec.method !== 'POST' || key === undefined || !req.auth) return operation.run(req, deps);
  const userId = req.auth.userId;
  const claim = await claimIdempotencyKey(deps, userId, key, requestHash('POST', event.rawPath, rawBody(event)));
  if (claim.kind === 'replay') {
    return { ...claim.response, headers: { ...(claim.response.headers ?? {}), 'idempotent-replayed': 'true' } };
  }
  let result: OperationResult;
  try {
    const scope = { tableName: deps.tableName, key: idempotencyKeys.key(userId, key), lockedUntil: claim.lockedUntil, marked: false };
    result = await idempotencyScope.run(scope, () => operation.run(req, deps));
  } catch (error) {
    if (isClientError(error)) {
      // Stored as sent: a replay is the same problem+json, content type and headers included.
      const { problem, headers } = problemFrom(error);
      await completeIdempotencyKey(deps, userId, key, { status: problem.status, body: problem, headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE } });
    } else {
      await releaseIdempotencyKey(deps, userId, key);
    }
    throw error;
  }
  await completeIdempotencyKey(deps, userId, key, result);
  return result;
};

/**
 * Builds an area's Lambda handler: dispatch on the API Gateway route key (405 with Allow for another
 * method of a path it serves), check auth, check the body's media type (415) and the route's request
 * headers (400), parse params, query and body with the route's zod schemas, run the use case, map
 * errors to problem+json.
 */
export const createAreaHandler = (operations: Operation[], deps: AppDeps): HttpHandler => {
  const byRouteKey = new Map(operations.map((op) => [routeKey(op.spec), op]));
  const methodsByPath = new Map<string, string[]>();
  for (const op of operations) methodsByPath.set(op.spec.path, allowedMethods([...(methodsByPath.get(op.spec.path) ?? []), op.spec.method]));
  const core = async (event: HttpEvent): Promise<HttpResponse> => {
    const operation = byRouteKey.get(event.routeKey.replace(/^HEAD /, 'GET '));
    if (!operation) {
      const allowed = methodsByPath.get(event.routeKey.slice(event.routeKey.indexOf(' ') + 1));
      throw allowed ? new MethodNotAllowed(allowed) : new NotFound(`No route for ${event.routeKey}`);
    }
    const auth = authFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    if (operation.spec.auth === 'jwt' && !auth) throw new Unauthorized();
    return refuseOutsidersOnBadInput(auth, deps, async () => {
      const req = buildRequest(operation, event, auth);
      const result = await runWithIdempotency(operation, event, req, deps);
      return toResponse(answersIfNoneMatch(operation.spec) ? answerIfNoneMatch(result, req.headers['if-none-match']) : result);
    });
  };
  const handle = middy<HttpEvent, HttpResponse>(core).use({
    onError: async (request) => {
      // Name, redacted message and stack only: never the request, its body or the inputs of the failed call.
      if (!httpErrorOf(request.error)) log.error('Unhandled error', request.error, { routeKey: request.event.routeKey });
      request.response = problemResponse(request.error);
    },
  }) as unknown as HttpHandler;
  return (event, context) => observe(requestTelemetry(event), async () => {
    withLambdaContext(context);
    const started = performance.now();
    const response = isHead(event) ? withoutBody(await handle(event, context)) : await handle(event, context);
    log.info('Request handled', { routeKey: event.routeKey, status: response.statusCode, durationMs: Math.round(performance.now() - started) });
    return response;
  });
};

const isHead = (event: HttpEvent): boolean => event.routeKey.startsWith('HEAD ');

/**
 * HEAD is GET without the body (RFC 9110 §9.3.2): same status and headers, and the Content-Length the
 * GET would have sent (API Gateway routes HEAD here: see infra/stacks/api-stack.ts).
 */
const withoutBody = (response: HttpResponse): HttpResponse => {
  const { body, ...rest } = response;
  if (body === undefined) return rest;
  const length = response.isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body);
  return { ...rest, isBase64Encoded: false, headers: { ...(response.headers ?? {}), 'content-length': length } };
};

/** The handling's ids for the logs: route, request id, the caller's id (a user id) and the correlation id. */
const requestTelemetry = (event: HttpEvent) => {
  const requestId = event.requestContext?.requestId ?? '';
  const given = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-correlation-id')?.[1];
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  return {
    handler: 'api',
    correlationId: correlationIdFrom(given, requestId || 'none'),
    ids: { requestId, ...(typeof sub === 'string' ? { userId: correlationIdFrom(sub, 'invalid') } : {}) },
  };
};
