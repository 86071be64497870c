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

/** `[scheme://][*|*.]host[/path[*]]`; `*` only at the host's start and the path's end (Cloudflare's validity rules). */
const PATTERN = /^(?:(https?):\/\/)?(\*\.?)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(\/[A-Za-z0-9/_.~-]*)?(\*)?$/;

/** The zones of the fleet, from the root wrangler.toml `[gitops] zones`. */
export function fleetZones(fleet: Fleet): string[] {
  const zones = fleet.root.gitops?.['zones'];
  return Array.isArray(zones) ? zones.filter((zone): zone is string => typeof zone === 'string') : [];
}

/** The default route: `api.<first zone>/<name>*`, like every service of the example fleet. */
export function defaultRoutePattern(fleet: Fleet, name: string): string {
  const zone = fleetZones(fleet)[0];
  if (!zone) throw new ScaffoldError('the root wrangler.toml declares no zone under [gitops] zones, so there is no default route; pass --route');
  return `api.${zone}/${name}*`;
}

/** Without its scheme: `https://a.com/x*` and `a.com/x*` serve the same HTTPS requests. */
function withoutScheme(pattern: string): string {
  return pattern.replace(/^https?:\/\//, '');
}

/** Parses and checks a route pattern for a new service; throws a {@link ScaffoldError} naming what is wrong. */
export function planRoute(fleet: Fleet, name: string, pattern: string): PlannedRoute {
  const match = PATTERN.exec(pattern);
  if (!match) {
    throw new ScaffoldError(
      `--route "${pattern}" is not a route pattern this tool writes; expected [https://]host/path* with a lowercase host, "*" only at the start of the host or the end of the path, and a path of letters, digits and / _ . ~ - (e.g. "api.example.com/${name}*")`,
    );
  }
  const [, , hostWildcard, host = '', rawPath = '/', pathWildcard] = match;
  if (!pathWildcard) {
    throw new ScaffoldError(
      `--route "${pattern}" must end with "*": the generated service answers on its base path and below it (e.g. "${pattern}*")`,
    );
  }
  const zones = fleetZones(fleet);
  const zoneName = zones.find((zone) => host === zone || host.endsWith(`.${zone}`));
  if (!zoneName) {
    throw new ScaffoldError(`--route "${pattern}": host ${host} is not in any zone of the fleet (root wrangler.toml [gitops] zones: ${zones.join(', ') || 'none'})`);
  }
  const basePath = rawPath.replace(/\/+$/, '');
  const route: PlannedRoute = {
    pattern,
    zoneName,
    // `*.zone` matches subdomains only, so the test needs one; `*zone` also matches the zone itself.
    host: hostWildcard === '*.' ? `www.${host}` : host,
    basePath: basePath === '' ? `/${name}` : basePath,
  };
  assertNoCollision(fleet, route);
  return route;
}

/**
 * A route collides when another service already declares the same pattern (ignoring the scheme,
 * which only narrows it): Cloudflare refuses a second route with a pattern that exists in the zone,
 * and `checkFleet` would refuse the fleet.
 */
function assertNoCollision(fleet: Fleet, route: PlannedRoute): void {
  for (const service of fleet.services) {
    for (const existing of declaredRoutes(service.config)) {
      if (withoutScheme(existing.pattern) === withoutScheme(route.pattern)) {
        throw new ScaffoldError(
          `route "${route.pattern}" collides with service "${service.name}", which declares "${existing.pattern}" (services/${service.name}/wrangler.toml ${existing.keyPath}); pick another --route`,
        );
      }
    }
  }
}

/** Routes of other services that also match the new route's base URL: not an error (the most specific pattern wins), but worth saying. */
export function overlappingRoutes(fleet: Fleet, route: PlannedRoute): string[] {
  const url = `${route.host}${route.basePath}`;
  const overlaps: string[] = [];
  for (const service of fleet.services) {
    for (const existing of declaredRoutes(service.config)) {
      const bare = withoutScheme(existing.pattern);
      const wildcard = bare.endsWith('*');
      const prefix = wildcard ? bare.slice(0, -1) : bare;
      if (wildcard ? url.startsWith(prefix) : url === prefix) overlaps.push(`${existing.pattern} (${service.name})`);
    }
  }
  return overlaps;
}
