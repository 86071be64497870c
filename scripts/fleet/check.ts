import { relative } from 'node:path';
// The one function used, not all of semver: `npm run dev` loads this at every start.
import validSemver from 'semver/functions/valid.js';
import { ConfigError, type ConfigIssue } from './errors.ts';
import type { Fleet, FleetService } from './load.ts';
import { validateCustomDomain } from '../cloudflare/custom-domain.ts';
import { routeKey, validateRoutePattern, zoneOfRoute } from '../cloudflare/route-pattern.ts';
import { declaredRoutes } from './routes.ts';
import { durableObjectsDeclared } from './durable-objects-check.ts';

type FleetCheck = (fleet: Fleet) => ConfigIssue[];

function fileOf(fleet: Fleet, path: string): string {
  return relative(fleet.rootDir, path);
}

const versionsAreSemver: FleetCheck = (fleet) =>
  fleet.services
    .filter((service) => !validSemver(service.version))
    .map((service) => ({
      file: fileOf(fleet, service.packageJsonPath),
      keyPath: 'version',
      message: `"${service.version}" is not a semantic version; expected MAJOR.MINOR.PATCH such as 1.0.0`,
    }));

const namesMatchFolders: FleetCheck = (fleet) =>
  fleet.services
    .filter((service) => relative(fleet.rootDir, service.dir) !== `services/${service.name}`)
    .map((service) => ({
      file: fileOf(fleet, service.configPath),
      keyPath: 'name',
      message: `"${service.name}" must equal its folder name (${relative(fleet.rootDir, service.dir)}); the folder is the service's identity`,
    }));

const routesAreUnique: FleetCheck = (fleet) => {
  const owners = new Map<string, FleetService>();
  const issues: ConfigIssue[] = [];
  for (const service of fleet.services) {
    for (const route of declaredRoutes(service.config)) {
      // Custom domains are hostnames, compared case-insensitively; routes by their pattern's key.
      const key = route.customDomain ? route.pattern.toLowerCase() : routeKey(route.pattern);
      const holder = owners.get(key);
      if (holder && holder !== service) {
        issues.push({
          file: fileOf(fleet, service.configPath),
          keyPath: route.keyPath,
          message: `route "${route.pattern}" is already declared by service "${holder.name}" (${fileOf(fleet, holder.configPath)}); a pattern can belong to one service only`,
        });
      } else {
        owners.set(key, service);
      }
    }
  }
  return issues;
};

/** Every route is a pattern Cloudflare accepts, inside its zone (`zone_name`, else one of `[gitops] zones`); every custom domain a hostname. */
const routesAreValid: FleetCheck = (fleet) => {
  const zones = fleet.root.gitops.zones ?? [];
  return fleet.services.flatMap((service) =>
    declaredRoutes(service.config).flatMap((route) => {
      const at = { file: fileOf(fleet, service.configPath), keyPath: route.keyPath };
      if (route.customDomain) {
        const domain = validateCustomDomain(route.pattern);
        return domain.ok ? [] : [{ ...at, keyPath: `${route.keyPath}.pattern`, message: domain.error }];
      }
      const result = validateRoutePattern(route.pattern, route.zoneName);
      if (!result.ok) return [{ ...at, message: result.error }];
      if (route.zoneName === undefined && zones.length > 0 && zoneOfRoute(result.route, zones) === undefined) {
        return [{ ...at, message: `route "${route.pattern}" is in none of the fleet's zones (${zones.join(', ')}); set zone_name or add the zone to [gitops] zones` }];
      }
      return [];
    }),
  );
};

/**
 * A queue has at most one Worker consumer (Cloudflare refuses a second one; consumers are set up per
 * queue, https://developers.cloudflare.com/queues/configuration/configure-queues/#consumer), so
 * two services consuming the same queue is a mistake: `new`, `dev` and `plan` all refuse it here.
 */
const queuesHaveOneConsumer: FleetCheck = (fleet) => {
  const consumers = new Map<string, FleetService>();
  return fleet.services.flatMap((service) =>
    (service.config.queues?.consumers ?? []).flatMap((consumer, index) => {
      const holder = consumers.get(consumer.queue);
      if (!holder) {
        consumers.set(consumer.queue, service);
        return [];
      }
      return [
        {
          file: fileOf(fleet, service.configPath),
          keyPath: `queues.consumers.${index}.queue`,
          message: `queue "${consumer.queue}" is already consumed by service "${holder.name}" (${fileOf(fleet, holder.configPath)}); a queue has one consumer: remove one of the [[queues.consumers]] entries`,
        },
      ];
    }),
  );
};

const bindingsResolve: FleetCheck = (fleet) => {
  const names = new Set(fleet.services.map((service) => service.name));
  return fleet.services.flatMap((service) =>
    (service.config.services ?? []).flatMap((binding, index) =>
      names.has(binding.service)
        ? []
        : [
            {
              file: fileOf(fleet, service.configPath),
              keyPath: `services.${index}.service`,
              message: `binding ${binding.binding} names service "${binding.service}", which is not in the fleet; expected one of: ${[...names].join(', ')}`,
            },
          ],
    ),
  );
};

const namesAreUnique: FleetCheck = (fleet) => {
  const seen = new Set<string>();
  return fleet.services.flatMap((service) => {
    if (!seen.has(service.name)) {
      seen.add(service.name);
      return [];
    }
    return [{ file: fileOf(fleet, service.configPath), keyPath: 'name', message: `service name "${service.name}" is used twice` }];
  });
};

/** Every fleet-wide rule, run in this order. Add a rule here, not in the callers. */
export const FLEET_CHECKS: readonly FleetCheck[] = [namesAreUnique, namesMatchFolders, versionsAreSemver, routesAreValid, routesAreUnique, bindingsResolve, queuesHaveOneConsumer, durableObjectsDeclared];

/** Runs every fleet-wide check; throws one {@link ConfigError} listing all the issues found. */
export function checkFleet(fleet: Fleet, extraChecks: readonly FleetCheck[] = []): void {
  const issues = [...FLEET_CHECKS, ...extraChecks].flatMap((check) => check(fleet));
  if (issues.length > 0) throw new ConfigError(issues);
}

export type { FleetCheck };

/** The rules that hold in every environment: a named environment's Worker names no longer equal their folders (`<name>-<env>`). */
export const ENVIRONMENT_CHECKS: readonly FleetCheck[] = FLEET_CHECKS.filter((check) => check !== namesMatchFolders);
