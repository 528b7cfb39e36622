import type { z } from 'zod';
import type { AppDeps } from '../adapters/deps.js';
import type { RouteSpec } from './route-spec.js';
import type { AuthContext } from '../domain/access/principal.js';

export interface OperationRequest<P = unknown, Q = unknown, B = unknown> {
  params: P;
  query: Q;
  body: B;
  /** Null only on public routes. */
  auth: AuthContext | null;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  requestId: string;
}

export interface OperationResult {
  status: number;
  body?: unknown;
  /** A body sent as is (HTML, a script), with its `content-type` in `headers`; `body` is then unset. */
  text?: string;
  headers?: Record<string, string>;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export type OperationFn<P, Q, B> = (req: OperationRequest<P, Q, B>, deps: AppDeps) => Promise<OperationResult>;

export interface Operation {
  spec: RouteSpec;
  run: OperationFn<unknown, unknown, unknown>;
}

/** Binds a use case to its route, typing the request from the route's schemas. */
export const implement = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
  run: OperationFn<Infer<P>, Infer<Q>, Infer<B>>,
): Operation => ({ spec: spec as unknown as RouteSpec, run: run as OperationFn<unknown, unknown, unknown> });

export const json = (status: number, body: unknown, headers?: Record<string, string>): OperationResult => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** A non-JSON answer (the API reference page and its scripts). */
export const text = (status: number, body: string, headers: Record<string, string> & { 'content-type': string }): OperationResult => ({ status, text: body, headers });

export const noContent = (): OperationResult => ({ status: 204 });

/** Requires an authenticated caller (every non-public route has one; this narrows the type). */
export const requireAuth = (req: { auth: AuthContext | null }): AuthContext => {
  if (!req.auth) throw new Error('Operation on a JWT route was called without an auth context');
  return req.auth;
};
