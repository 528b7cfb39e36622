import { allowedMethods, type HttpMethod, type RouteSpec } from '../../shared/http/route-spec.js';

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
}

export type RouteMatch =
  | { kind: 'match'; spec: RouteSpec; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
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
    // HEAD is served wherever GET is (RFC 9110 §9.3.2), as the HEAD routes CDK adds in AWS.
    const served = method === 'HEAD' ? 'GET' : method;
    for (const route of compiled) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.spec.method !== served) {
        allowed.push(route.spec.method);
        continue;
      }
      const pathParameters = Object.fromEntries(route.paramNames.map((name, i) => [name, found[i + 1] ?? '']));
      return { kind: 'match', spec: route.spec, pathParameters };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed: allowedMethods(allowed) } : { kind: 'none' };
  };
};
