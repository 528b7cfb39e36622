import type { HttpMethod, RouteSpec } from '../../shared/http/route-spec.js';

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
}

export type RouteMatch =
  | { kind: 'match'; spec: RouteSpec; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'none' };

const compile = (spec: RouteSpec): CompiledRoute => {
  const paramNames: string[] = [];
  const segments = spec.path.split('/').filter(Boolean);
  const source = segments
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (param?.[1]) {
        paramNames.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { spec, pattern: new RegExp(`^/${source}/?$`), paramNames, literalSegments: segments.length - paramNames.length };
};

/**
 * Matches like API Gateway HTTP APIs: the most specific route wins (literal segments beat
 * parameters), so `/v1/records/{module}/lookup` wins over `/v1/records/{module}/{id}`.
 */
export const createRouteMatcher = (routes: readonly RouteSpec[]) => {
  const compiled = routes.map(compile).sort((a, b) => b.literalSegments - a.literalSegments);
  return (method: string, path: string): RouteMatch => {
    const allowed: HttpMethod[] = [];
    for (const route of compiled) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.spec.method !== method) {
        allowed.push(route.spec.method);
        continue;
      }
      const pathParameters = Object.fromEntries(route.paramNames.map((name, i) => [name, found[i + 1] ?? '']));
      return { kind: 'match', spec: route.spec, pathParameters };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed: [...new Set(allowed)].sort() } : { kind: 'none' };
  };
};
