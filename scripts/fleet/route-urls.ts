import { parseRoutePattern, RoutePatternError } from '../cloudflare/route-pattern.ts';
import type { Fleet } from './load.ts';
import { declaredRoutes, type DeclaredRoute } from './routes.ts';

/** A host and path a route serves: `*.zone` needs a subdomain, so `www.` stands for one. */
export function exampleRequest(route: DeclaredRoute): { host: string; path: string } {
  if (route.customDomain) return { host: route.pattern, path: '/' };
  try {
    const parsed = parseRoutePattern(route.pattern);
    return { host: parsed.hostWildcard === 'subdomains' ? `www.${parsed.host}` : parsed.host, path: parsed.path };
  } catch (error) {
    if (error instanceof RoutePatternError) return { host: route.pattern, path: '/' };
    throw error;
  }
}

/** One line per route: the service, the pattern, and a curl that reaches it on a local listener. */
export function routeUrlLines(fleet: Fleet, origin: string): string[] {
  return fleet.services.flatMap((service) =>
    declaredRoutes(service.config).map((route) => {
      const { host, path } = exampleRequest(route);
      return `  ${service.name.padEnd(16)} ${route.pattern.padEnd(36)} curl -H 'Host: ${host}' ${origin}${path}`;
    }),
  );
}
