import type { z } from 'zod';

/** The Lambda (one per area) that serves a route. CDK builds one function per area from this. */
export const AREAS = ['system', 'records', 'users', 'admin', 'teams', 'requests', 'processes', 'wizards', 'kiosks', 'automation', 'cadences', 'journeys'] as const;
export type Area = (typeof AREAS)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Response headers documented in OpenAPI (e.g. ETag). */
  headers?: string[];
  /** Content type of the body; defaults to application/json. */
  contentType?: string;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: HttpMethod;
  /** API Gateway path syntax: /v1/records/{module}/{id} */
  path: string;
  area: Area;
  /** `public` routes skip the JWT authorizer (health, openapi, unsubscribe). */
  auth: 'jwt' | 'public';
  summary: string;
  tags: readonly string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Media types the body may come in; JSON (`application/json`, any `+json`) unless declared. Others get 415. */
  requestContentTypes?: readonly string[];
  /** Extra request headers the route honours (documented in OpenAPI). */
  requestHeaders?: Array<'If-Match' | 'Idempotency-Key'>;
  responses: Record<number, ResponseSpec>;
}

/** Identity helper that keeps the schema generics of a route literal. */
export const route = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> => spec;

/** `METHOD /path`, as API Gateway names a route (HEAD too, which serves the GET route of its path). */
export const routeKey = (spec: { method: HttpMethod | 'HEAD'; path: string }): string => `${spec.method} ${spec.path}`;

/** The methods a path takes, for `Allow`: its routes' methods, and HEAD wherever GET is (RFC 9110 §9.3.2). */
export const allowedMethods = (methods: readonly string[]): string[] =>
  [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : [])])].sort();
