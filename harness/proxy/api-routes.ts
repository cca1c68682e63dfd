/**
 * Route table of the Toxiproxy HTTP API, matched like gorilla/mux in Toxiproxy: a path that
 * matches with the wrong method is a 405 with an empty body, an unknown path a plain-text 404.
 */
import type { ApiHandler, createApiHandlers } from './api-handlers.ts';

export interface Route {
  methods: readonly string[];
  /** Path segments; `:name` matches one non-empty segment. */
  segments: readonly string[];
  handler: ApiHandler;
  /** Mutating routes run one at a time, like Toxiproxy's locks. */
  mutates: boolean;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

export function buildRoutes(handlers: ReturnType<typeof createApiHandlers>): Route[] {
  const route = (methods: string[], path: string, handler: ApiHandler): Route => ({
    methods,
    segments: path.split('/').filter((part) => part !== ''),
    handler,
    mutates: !methods.includes('GET'),
  });
  return [
    route(['POST'], '/reset', handlers.reset),
    route(['GET'], '/proxies', handlers.listProxies),
    route(['POST'], '/proxies', handlers.createProxy),
    route(['POST'], '/populate', handlers.populate),
    route(['GET'], '/proxies/:proxy', handlers.showProxy),
    route(['POST', 'PATCH'], '/proxies/:proxy', handlers.updateProxy),
    route(['DELETE'], '/proxies/:proxy', handlers.deleteProxy),
    route(['GET'], '/proxies/:proxy/toxics', handlers.listToxics),
    route(['POST'], '/proxies/:proxy/toxics', handlers.createToxic),
    route(['GET'], '/proxies/:proxy/toxics/:toxic', handlers.showToxic),
    route(['POST', 'PATCH'], '/proxies/:proxy/toxics/:toxic', handlers.updateToxic),
    route(['DELETE'], '/proxies/:proxy/toxics/:toxic', handlers.deleteToxic),
    route(['GET'], '/version', handlers.version),
    route(['GET'], '/proxies/:proxy/stats', handlers.proxyStats),
  ];
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const parts = path.split('/');
  // Like mux without strict slashes: "/proxies/" is not "/proxies".
  if (parts[0] !== '') return { kind: 'not-found' };
  const segments = parts.slice(1);

  let pathMatched = false;
  for (const route of routes) {
    const params = matchSegments(route.segments, segments);
    if (params === undefined) continue;
    if (route.methods.includes(method)) return { kind: 'found', route, params };
    pathMatched = true;
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}

function matchSegments(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const actual = segments[index] as string;
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      params[expected.slice(1)] = actual;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
