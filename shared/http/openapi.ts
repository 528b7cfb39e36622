import { z } from 'zod';
import type { RouteSpec } from './route-spec.js';

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

const HEADER_DOCS: Record<string, { description: string }> = {
  'If-Match': { description: 'The ETag you read ("<version>"); a stale one gets 412' },
  'Idempotency-Key': { description: 'Replays within 24 h return the first response; reuse with a different body is 422' },
  'X-Change-Reason': { description: 'Why you make this change (at most 500 characters); kept in the history entry' },
  'X-Correlation-Id': { description: 'Ties the events this change causes together; defaults to the request id' },
  ETag: { description: 'The version of the resource, quoted' },
  Location: { description: 'URL of the created resource' },
};

/** Headers every authenticated change accepts. */
const CHANGE_HEADERS = ['X-Change-Reason', 'X-Correlation-Id'] as const;

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export const buildOpenApi = (routes: readonly RouteSpec[], info: OpenApiInfo) => {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const parameters = [
      ...parametersOf(spec.params, 'path', components),
      ...parametersOf(spec.query, 'query', components),
      ...[...(spec.requestHeaders ?? []), ...(spec.method !== 'GET' && spec.auth === 'jwt' ? CHANGE_HEADERS : [])].map((h) => ({ name: h, in: 'header', required: false, schema: { type: 'string' }, description: HEADER_DOCS[h]?.description })),
    ];
    const responses = Object.fromEntries(
      Object.entries(spec.responses).map(([status, res]) => [
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
