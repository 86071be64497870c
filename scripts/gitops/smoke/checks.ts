import { basename } from 'node:path';
import type { Contract, Route } from '@edgeops/contracts';
import { requestTargetOf, routeMatches } from '../../cloudflare/route-match.ts';
import { parseRoutePattern } from '../../cloudflare/route-pattern.ts';
import { declaredRoutes, type DeclaredRoute, type EnvironmentFleet } from '../../fleet/index.ts';
import { noInputRoutes } from './no-input-routes.ts';

/** One call the smoke test makes: a no-input contract route on the host a route of the service serves. */
export interface SmokeCall {
  kind: 'call';
  /** The Worker in this environment (`users-staging`). */
  service: string;
  operation: string;
  route: Route;
  /** `https://<environment's route host><contract path>`. */
  url: string;
}

/** A service or route the smoke test cannot reach through the environment's routes, and why. */
export interface SmokeSkip {
  kind: 'skip';
  service: string;
  operation?: string;
  path?: string;
  reason: string;
}

export type SmokeCheck = SmokeCall | SmokeSkip;

/** The host a route serves (a `*.zone` route needs a subdomain; none is guessed, so it yields nothing). */
function hostOf(route: DeclaredRoute): string | undefined {
  if (route.customDomain) return route.pattern.toLowerCase();
  const parsed = parseRoutePattern(route.pattern);
  return parsed.hostWildcard === 'none' ? parsed.host : undefined;
}

/** The first `https://host/path` URL one of the service's routes serves (a custom domain serves every path). */
function urlServed(routes: DeclaredRoute[], path: string): string | undefined {
  for (const route of routes) {
    const host = hostOf(route);
    if (!host) continue;
    const url = new URL(`https://${host}${path}`);
    if (route.customDomain || routeMatches(parseRoutePattern(route.pattern), requestTargetOf(url))) return url.href;
  }
  return undefined;
}

/**
 * What the smoke test calls in one environment: for each service of the fleet as that environment
 * sees it, each contract route needing no input, on the host of the service's route that serves the
 * route's path. A service's contract is the one `shared/src/contracts/` declares for its folder name.
 */
export async function smokeChecks(fleet: EnvironmentFleet, contracts: ReadonlyMap<string, Contract>): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  for (const service of fleet.services) {
    const contract = contracts.get(basename(service.dir));
    if (!contract) {
      checks.push({ kind: 'skip', service: service.name, reason: 'no contract in shared/src/contracts' });
      continue;
    }
    const routes = declaredRoutes(service.config);
    if (routes.length === 0) {
      checks.push({ kind: 'skip', service: service.name, reason: 'no route: reachable only through bindings' });
      continue;
    }
    const callable = await noInputRoutes(contract);
    if (callable.length === 0) checks.push({ kind: 'skip', service: service.name, reason: 'no contract route without input' });
    for (const { operation, route } of callable) {
      const url = urlServed(routes, route.path);
      checks.push(
        url
          ? { kind: 'call', service: service.name, operation, route, url }
          : { kind: 'skip', service: service.name, operation, path: route.path, reason: 'no route of the service with a concrete host serves this path' },
      );
    }
  }
  return checks;
}

/** Where an environment answers: the https URL of its services' first route host (a GitHub Deployment's `environment_url`). */
export function environmentUrl(fleet: EnvironmentFleet): string | undefined {
  const hosts = fleet.services.flatMap((service) => declaredRoutes(service.config).flatMap((route) => hostOf(route) ?? []));
  const host = [...new Set(hosts)].sort()[0];
  return host ? `https://${host}` : undefined;
}
