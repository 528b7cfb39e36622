import { describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import { buildOpenApi } from '../../../shared/http/openapi.js';

type Schema = Record<string, unknown>;
const CRITERIA = '#/components/schemas/Criteria';

describe('the OpenAPI document: one Criteria component', () => {
  const document = buildOpenApi(routes, { title: 'Keiro API', version: '1.0.0' }) as unknown as { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };
  const schemas = document.components.schemas;

  /** Where a schema refers to Criteria, as property paths (`transitions[].before.criteria`), following other refs. */
  const criteriaPaths = (schema: unknown, at = '', seen = new Set<string>()): string[] => {
    if (Array.isArray(schema)) return schema.flatMap((s) => criteriaPaths(s, at, seen));
    if (!schema || typeof schema !== 'object') return [];
    const node = schema as Schema;
    if (node.$ref === CRITERIA) return [at];
    if (typeof node.$ref === 'string') {
      if (seen.has(node.$ref)) return [];
      return criteriaPaths(schemas[node.$ref.split('/').pop()!], at, new Set([...seen, node.$ref]));
    }
    const properties = Object.entries((node.properties ?? {}) as Record<string, unknown>).flatMap(([key, s]) => criteriaPaths(s, at ? `${at}.${key}` : key, seen));
    const items = node.items ? criteriaPaths(node.items, `${at}[]`, seen) : [];
    const alternatives = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => (node[k] ? criteriaPaths(node[k], at, seen) : []));
    return [...new Set([...properties, ...items, ...alternatives])].sort();
  };
  const bodyOf = (method: string, path: string) => (document.paths[path]?.[method] as { requestBody?: { content: Record<string, { schema: unknown }> } } | undefined)?.requestBody?.content['application/json']?.schema;

  /** A PUT takes the body GET answers (the definition under `key`) or the definition flat: both forms reference it. */
  const wrappedOrFlat = (key: string, flat: string[]) => [...flat, ...flat.map((p) => `${key}.${p}`)].sort();

  it('has the component, describing groups and conditions', () => {
    expect(schemas.Criteria).toBeDefined();
    expect(schemas.CriteriaCondition).toBeDefined();
    expect(JSON.stringify(schemas.Criteria)).toContain('#/components/schemas/CriteriaCondition');
  });

  it.each<[string, string, string[]]>([
    ['post', '/v1/blueprints', ['entryCriteria', 'transitions[].before.criteria']],
    ['put', '/v1/blueprints/{id}', wrappedOrFlat('draft', ['entryCriteria', 'transitions[].before.criteria'])],
    ['post', '/v1/approval-processes', ['criteria']],
    ['put', '/v1/approval-processes/{id}', wrappedOrFlat('draft', ['criteria'])],
    ['post', '/v1/review-processes', ['criteria']],
    ['put', '/v1/review-processes/{id}', wrappedOrFlat('draft', ['criteria'])],
    ['post', '/v1/workflow-rules', ['criteria']],
    ['put', '/v1/workflow-rules/{id}', ['criteria']],
    ['post', '/v1/cadences', ['enrollment.criteria', 'unenrollment.criteria']],
    ['put', '/v1/cadences/{id}', ['enrollment.criteria', 'unenrollment.criteria']],
    ['post', '/v1/journeys', ['entry.where', 'transitions[].trigger.where']],
    ['put', '/v1/journeys/{id}', wrappedOrFlat('definition', ['entry.where', 'transitions[].trigger.where'])],
    ['post', '/v1/wizards', ['rules[].when']],
    ['put', '/v1/wizards/{id}', wrappedOrFlat('definition', ['rules[].when'])],
    ['post', '/v1/kiosks', ['nodes[].branches[].when']],
    ['put', '/v1/kiosks/{id}', wrappedOrFlat('definition', ['nodes[].branches[].when'])],
    ['put', '/v1/team-modules/{module}/assignment-rules', wrappedOrFlat('assignment', ['criteria[].when'])],
  ])('%s %s references it at %j', (method, path, expected) => {
    const body = bodyOf(method, path);
    expect(body, `${method} ${path} has a JSON body`).toBeDefined();
    expect(criteriaPaths(body)).toEqual(expected);
  });

  it('no other schema in the document spells a condition operator', () => {
    const oldOps = ['"equals"', '"notEquals"', '"isSet"', '"notEmpty"', '"empty"', '"filled"'];
    const own = new Set(['Criteria', 'CriteriaCondition', 'CriteriaValueTest']);
    for (const [name, schema] of Object.entries(schemas)) {
      if (own.has(name)) continue;
      const text = JSON.stringify(schema);
      for (const op of oldOps) expect(text.includes(`"enum":[${op}`) || text.includes(`"const":${op}`) || text.includes(`${op}:{`), `${name} spells ${op}`).toBe(false);
    }
  });
});
