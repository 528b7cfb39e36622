import * as z from 'zod';
import { problems } from './common-schemas.js';
import { answersIfNoneMatch, RequestHeaderSchemas, requestHeadersOf, type RequestHeaderName } from './request-headers.js';
import type { ResponseSpec, RouteSpec } from './route-spec.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/**
 * Converts a zod schema to JSON Schema 2020-12 (the dialect of OpenAPI 3.1). Named schemas
 * (`.meta({ id })`) come back in `$defs`: hoist them into components and point refs there.
 */
const toSchema = (schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema => {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  const { $schema: _schema, $defs, ...rest } = converted;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewrite(v)]),
      );
    }
    return node;
  };
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    if (name === '__shape') continue;
    components[name] ??= rewrite(def) as JsonSchema;
  }
  const id = (schema.meta() as { id?: string } | undefined)?.id;
  const body = rewrite(rest) as JsonSchema;
  if (id) {
    components[id] ??= body;
    return { $ref: `#/components/schemas/${id}` };
  }
  return body;
};

const parametersOf = (schema: z.ZodType | undefined, where: 'path' | 'query', components: Record<string, JsonSchema>) => {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
    description?: string;
    additionalProperties?: unknown;
  };
  void components;
  const params = Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: prop,
  }));
  if (where === 'query' && json.additionalProperties && json.additionalProperties !== false) {
    params.push({ name: 'filter', in: 'query', required: false, schema: { type: 'object', additionalProperties: { type: 'string' }, description: json.description ?? 'Extra parameters' } as JsonSchema });
    const last = params[params.length - 1] as Record<string, unknown>;
    last.style = 'deepObject';
    last.explode = true;
  }
  return params;
};

/** Response headers. */
const HEADER_DOCS: Record<string, { description: string }> = {
  ETag: { description: 'The version of the resource, quoted' },
  Location: { description: 'URL of the created resource' },
  'Idempotent-Replayed': { description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key' },
  Allow: { description: 'The methods the resource takes' },
  Accept: { description: 'The media types the route takes' },
  'WWW-Authenticate': { description: 'Bearer' },
};

/**
 * The statuses the shared machinery can answer on a route, whatever its use case does: throttling (429)
 * and unexpected failures (500) anywhere; on token routes no or a bad token (401) and a caller refused
 * (403); bad params, query, body or headers (400); a missing resource behind path params (404); a body
 * over the limit or in another media type on any command, even one that takes no body (413, 415); If-Match (412); If-None-Match
 * matching (304, no body); Idempotency-Key in flight (409) or reused with another body (422).
 */
export const machineryStatuses = (spec: RouteSpec): number[] => {
  const headers = requestHeadersOf(spec);
  // Every command reads what it is sent, even one that takes no body: over the limit, another media type, broken JSON.
  const command = spec.method !== 'GET';
  const statuses = [429, 500];
  if (spec.auth === 'jwt') statuses.push(401, 403);
  if (spec.params || spec.query || command || headers.length > 0) statuses.push(400);
  if (spec.params) statuses.push(404);
  if (command) statuses.push(413, 415);
  if (answersIfNoneMatch(spec)) statuses.push(304);
  if (headers.includes('If-Match')) statuses.push(412);
  if (headers.includes('Idempotency-Key')) statuses.push(409, 422);
  return statuses;
};

/** Machinery answers that are not problems: they carry no body at all. */
const NO_CONTENT_RESPONSES: Record<number, ResponseSpec> = {
  304: { description: 'Not Modified: If-None-Match names the current ETag; no body', headers: ['ETag'] },
};

/** Headers that problem responses of a status carry. */
const PROBLEM_HEADERS: Record<number, string[]> = { 401: ['WWW-Authenticate'], 415: ['Accept'] };

/** The route's own responses, then a problem+json for every status the machinery adds. */
const responsesOf = (spec: RouteSpec): Record<number, ResponseSpec> => {
  const own = spec.responses;
  const added = machineryStatuses(spec).filter((status) => !(status in own));
  const machinery: Record<number, ResponseSpec> = { ...problems(...added.filter((status) => !(status in NO_CONTENT_RESPONSES))) };
  for (const status of added) if (NO_CONTENT_RESPONSES[status]) machinery[status] = NO_CONTENT_RESPONSES[status];
  return Object.fromEntries(
    Object.entries({ ...own, ...machinery })
      .map(([status, res]) => [Number(status), res] as const)
      .sort(([a], [b]) => a - b)
      .map(([status, res]) => {
        const headers = [...(res.headers ?? []), ...(PROBLEM_HEADERS[status] ?? []), ...(spec.requestHeaders?.includes('Idempotency-Key') ? ['Idempotent-Replayed'] : [])];
        return [status, headers.length > 0 ? { ...res, headers } : res];
      }),
  );
};

const headerParameter = (name: RequestHeaderName) => {
  const schema = RequestHeaderSchemas[name];
  const { $schema: _schema, description, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
  return { name, in: 'header', required: false, description, schema: json };
};

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export const buildOpenApi = (routes: readonly RouteSpec[], info: OpenApiInfo) => {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const parameters = [
      ...parametersOf(spec.params, 'path', components),
      ...parametersOf(spec.query, 'query', components),
      ...requestHeadersOf(spec).map(headerParameter),
    ];
    const responses = Object.fromEntries(
      Object.entries(responsesOf(spec)).map(([status, res]) => [
        status,
        {
          description: res.description,
          ...(res.headers ? { headers: Object.fromEntries(res.headers.map((h) => [h, { schema: { type: 'string' }, ...HEADER_DOCS[h] }])) } : {}),
          ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: toSchema(res.schema, 'output', components) } } } : {}),
        },
      ]),
    );
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [...spec.tags],
      ...(spec.auth === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: Object.fromEntries((spec.requestContentTypes ?? ['application/json']).map((type) => [type, { schema: toSchema(spec.body as z.ZodType, 'input', components) }])) } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
};
