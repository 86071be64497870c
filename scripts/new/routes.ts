import { routeMatches } from '../cloudflare/route-match.ts';
import { parseRoutePattern, routeKey, RoutePatternError, zoneOfRoute, type ParsedRoutePattern } from '../cloudflare/route-pattern.ts';
import type { Fleet } from '../fleet/load.ts';
import { declaredRoutes } from '../fleet/routes.ts';
import { ScaffoldError } from './errors.ts';

/** The route a new service will serve, with what the generated code needs to know about it. */
export interface PlannedRoute {
  /** As written into wrangler.toml. */
  pattern: string;
  /** The fleet zone the host lies in (root wrangler.toml `[gitops] zones`). */
  zoneName: string;
  /** A concrete host the generated test sends requests to. */
  host: string;
  /** The path prefix the contract's paths start with, e.g. `/billing` (never ends with `/`). */
  basePath: string;
}

/** The generated code embeds the base path in string literals: only these characters. */
const EMBEDDABLE_PATH = /^[A-Za-z0-9/_.~-]*$/;

/** The zones of the fleet, from the root wrangler.toml `[gitops] zones`. */
function fleetZones(fleet: Fleet): string[] {
  return fleet.root.gitops.zones ?? [];
}

/** The default route: `api.<first zone>/<name>*`, like every service of the example fleet. */
export function defaultRoutePattern(fleet: Fleet, name: string): string {
  const zone = fleetZones(fleet)[0];
  if (!zone) throw new ScaffoldError('the root wrangler.toml declares no zone under [gitops] zones, so there is no default route; pass --route');
  return `api.${zone}/${name}*`;
}

function parseRoute(pattern: string, name: string): ParsedRoutePattern {
  try {
    return parseRoutePattern(pattern);
  } catch (error) {
    if (!(error instanceof RoutePatternError)) throw error;
    throw new ScaffoldError(`--route "${pattern}" is not a route pattern: ${error.reason}; expected [https://]host/path* such as "api.example.com/${name}*"`);
  }
}

/** Parses and checks a route pattern for a new service (Cloudflare's grammar, scripts/cloudflare/route-pattern.ts); throws a {@link ScaffoldError} naming what is wrong. */
export function planRoute(fleet: Fleet, name: string, pattern: string): PlannedRoute {
  const parsed = parseRoute(pattern, name);
  if (!parsed.pathWildcard) {
    throw new ScaffoldError(
      `--route "${pattern}" must end with "*": the generated service answers on its base path and below it (e.g. "${pattern}*")`,
    );
  }
  if (!EMBEDDABLE_PATH.test(parsed.path)) {
    throw new ScaffoldError(`--route "${pattern}": the generated code embeds the path "${parsed.path}", so it may hold only letters, digits and / _ . ~ -`);
  }
  const zones = fleetZones(fleet);
  const zoneName = zoneOfRoute(parsed, zones);
  if (!zoneName) {
    throw new ScaffoldError(`--route "${pattern}": host ${parsed.host} is not in any zone of the fleet (root wrangler.toml [gitops] zones: ${zones.join(', ') || 'none'})`);
  }
  const basePath = parsed.path.replace(/\/+$/, '');
  const route: PlannedRoute = {
    pattern,
    zoneName,
    // `*.zone` matches subdomains only, so the test needs one; `*zone` also matches the zone itself.
    host: parsed.hostWildcard === 'subdomains' ? `www.${parsed.host}` : parsed.host,
    basePath: basePath === '' ? `/${name}` : basePath,
  };
  assertNoCollision(fleet, route);
  return route;
}

/**
 * A route collides when another service already declares the same pattern (ignoring the scheme,
 * which only narrows it): Cloudflare refuses a second route with a pattern that exists in the zone,
 * and `checkFleet` would refuse the fleet. Said here with the service and key to change.
 */
function assertNoCollision(fleet: Fleet, route: PlannedRoute): void {
  const key = routeKey(route.pattern);
  for (const service of fleet.services) {
    for (const existing of declaredRoutes(service.config)) {
      if (!existing.customDomain && routeKey(existing.pattern) === key) {
        throw new ScaffoldError(
          `route "${route.pattern}" collides with service "${service.name}", which declares "${existing.pattern}" (services/${service.name}/wrangler.toml ${existing.keyPath}); pick another --route`,
        );
      }
    }
  }
}

/** Routes of other services that also match the new route's base URL: not an error (the most specific pattern wins), but worth saying. */
export function overlappingRoutes(fleet: Fleet, route: PlannedRoute): string[] {
  const target = { scheme: 'https' as const, host: route.host, pathAndQuery: route.basePath };
  const overlaps: string[] = [];
  for (const service of fleet.services) {
    for (const existing of declaredRoutes(service.config)) {
      if (existing.customDomain) continue;
      try {
        if (routeMatches(parseRoutePattern(existing.pattern), target)) overlaps.push(`${existing.pattern} (${service.name})`);
      } catch (error) {
        if (!(error instanceof RoutePatternError)) throw error;
      }
    }
  }
  return overlaps;
}
