import { relative } from 'node:path';
import semver from 'semver';
import { ConfigError, type ConfigIssue } from './errors.ts';
import type { Fleet, FleetService } from './load.ts';
import { validateRoutePattern } from '../edge/src/routing/index.ts';
import { declaredRoutes } from './routes.ts';

type FleetCheck = (fleet: Fleet) => ConfigIssue[];

function fileOf(fleet: Fleet, path: string): string {
  return relative(fleet.rootDir, path);
}

const versionsAreSemver: FleetCheck = (fleet) =>
  fleet.services
    .filter((service) => !semver.valid(service.version))
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
      const holder = owners.get(route.pattern);
      if (holder && holder !== service) {
        issues.push({
          file: fileOf(fleet, service.configPath),
          keyPath: route.keyPath,
          message: `route "${route.pattern}" is already declared by service "${holder.name}" (${fileOf(fleet, holder.configPath)}); a pattern can belong to one service only`,
        });
      } else {
        owners.set(route.pattern, service);
      }
    }
  }
  return issues;
};

/** The fleet's zones: `[gitops] zones` in the root wrangler.toml. */
function fleetZones(fleet: Fleet): string[] {
  const zones = fleet.root.gitops?.['zones'];
  return Array.isArray(zones) ? zones.filter((zone): zone is string => typeof zone === 'string') : [];
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const routesAreValid: FleetCheck = (fleet) =>
  fleet.services.flatMap((service) =>
    declaredRoutes(service.config).flatMap((route) => {
      const at = { file: fileOf(fleet, service.configPath), keyPath: route.keyPath };
      if (route.customDomain) {
        return HOSTNAME.test(route.pattern) ? [] : [{ ...at, message: `custom domain "${route.pattern}" must be a plain hostname such as shop.example.com` }];
      }
      const zone = route.zoneName ?? fleetZones(fleet).find((name) => validateRoutePattern(route.pattern, name).ok);
      const result = validateRoutePattern(route.pattern, zone);
      if (!result.ok) return [{ ...at, message: result.error }];
      if (!zone && fleetZones(fleet).length > 0) {
        return [{ ...at, message: `route "${route.pattern}" is in none of the fleet's zones (${fleetZones(fleet).join(', ')}); set zone_name or add the zone to [gitops] zones` }];
      }
      return [];
    }),
  );

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
export const FLEET_CHECKS: readonly FleetCheck[] = [namesAreUnique, namesMatchFolders, versionsAreSemver, routesAreValid, routesAreUnique, bindingsResolve];

/** Runs every fleet-wide check; throws one {@link ConfigError} listing all the issues found. */
export function checkFleet(fleet: Fleet, extraChecks: readonly FleetCheck[] = []): void {
  const issues = [...FLEET_CHECKS, ...extraChecks].flatMap((check) => check(fleet));
  if (issues.length > 0) throw new ConfigError(issues);
}

export type { FleetCheck };
