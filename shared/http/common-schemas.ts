import * as z from 'zod';
import type { ResponseSpec } from './route-spec.js';
import { lazySchema } from '../domain/lazy-schema.js';

export const ProblemSchema = lazySchema(() => z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' }));

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input; `errors` names each field at fault',
  401: 'Missing or invalid bearer token',
  403: 'Not allowed',
  404: 'Not found (or not visible to you)',
  409: 'Conflict: the state moved on',
  412: 'If-Match does not match the current version',
  422: 'Rule violation',
  423: 'Locked by a pending approval or review',
  413: 'The request body is over the limit (6 MB, as Lambda takes)',
  415: 'The request body is not in a media type the route takes (JSON unless stated)',
  429: 'Too many requests: slow down and retry',
  500: 'An unexpected error; nothing internal is exposed',
  503: 'A service this needs is not available',
};

/** The problem+json responses a route can give. */
export const problems = (...statuses: number[]): Record<number, ResponseSpec> =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: PROBLEM_DESCRIPTIONS[s] ?? 'Error', schema: ProblemSchema, contentType: 'application/problem+json' }]),
  );

export const ok = (schema: z.ZodType, description = 'OK', headers?: string[]): ResponseSpec => ({ description, schema, ...(headers ? { headers } : {}) });
