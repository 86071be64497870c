import type { Action } from './action.ts';
import type { PlanError } from './plan.ts';
import type { DesiredRoute, DesiredState } from '../state/desired.ts';
import type { ObservedState, ObservedZone } from '../state/observed.ts';
import { patternHost, zoneForHost } from './zones.ts';
import { noLongerDeclared } from './undeclared.ts';

export interface RouteContext {
  owner: string;
  adopt: boolean;
  /** Scripts carrying the owner tag. */
  owned: Set<string>;
}

function resolveZone(route: DesiredRoute, zones: ObservedZone[]): ObservedZone | PlanError {
  if (route.zoneId) {
    return zones.find((zone) => zone.id === route.zoneId) ?? { ...route.source, message: `zone id "${route.zoneId}" is not on the account` };
  }
  if (route.zoneName) {
    return zones.find((zone) => zone.name === route.zoneName) ?? { ...route.source, message: `zone "${route.zoneName}" is not on the account` };
  }
  const host = patternHost(route.pattern);
  return zoneForHost(host, zones) ?? { ...route.source, message: `no zone on the account contains host "${host}" of pattern "${route.pattern}"; add zone_name or the zone` };
}

const isError = (value: ObservedZone | PlanError): value is PlanError => 'message' in value;

/** Worker routes and custom domains, reconciled per zone across the whole fleet. */
export function planRoutes(desired: DesiredState, observed: ObservedState, context: RouteContext): { actions: Action[]; errors: PlanError[] } {
  const actions: Action[] = [];
  const errors: PlanError[] = [];
  const declaredServices = new Set(desired.services.map((service) => service.name));
  const zoneName = (zoneId: string) => observed.zones.find((zone) => zone.id === zoneId)?.name ?? zoneId;
  const holder = (script: string | undefined) => (script === undefined ? 'a route with no Worker' : `script "${script}"`);

  const wantedRoutes = new Set<string>();
  const wantedDomains = new Set<string>();

  for (const service of desired.services) {
    for (const route of service.routes) {
      const zone = resolveZone(route, observed.zones);
      if (isError(zone)) {
        errors.push({ service: service.name, ...zone, message: `route "${route.pattern}": ${zone.message}` });
        continue;
      }
      if (route.customDomain) {
        const hostname = route.pattern.toLowerCase();
        wantedDomains.add(hostname);
        const existing = observed.domains.find((domain) => domain.hostname === hostname);
        if (existing?.service === service.name) continue;
        if (existing && !context.owned.has(existing.service) && !context.adopt) {
          errors.push({
            service: service.name,
            ...route.source,
            message: `custom domain "${hostname}" is attached to ${holder(existing.service)}, which the fleet does not own (owner tag "${context.owner}"); remove it from git or re-run with --adopt`,
          });
          continue;
        }
        actions.push({
          kind: 'attach-domain',
          service: service.name,
          hostname,
          zoneId: zone.id,
          zoneName: zone.name,
          reason: existing ? `moved from script "${existing.service}"` : 'new custom domain',
        });
        continue;
      }
      const key = `${zone.id}\n${route.pattern}`;
      if (wantedRoutes.has(key)) {
        errors.push({ service: service.name, ...route.source, message: `route "${route.pattern}" is declared twice in zone ${zone.name}` });
        continue;
      }
      wantedRoutes.add(key);
      const existing = observed.routes.find((candidate) => candidate.zoneId === zone.id && candidate.pattern === route.pattern);
      if (!existing) {
        actions.push({ kind: 'create-route', service: service.name, zoneId: zone.id, zoneName: zone.name, pattern: route.pattern, reason: 'new route' });
        continue;
      }
      if (existing.script === service.name) continue;
      const ownedHolder = existing.script !== undefined && context.owned.has(existing.script);
      if (!ownedHolder && !context.adopt) {
        errors.push({
          service: service.name,
          ...route.source,
          message: `route "${route.pattern}" in zone ${zone.name} is held by ${holder(existing.script)}, which the fleet does not own (owner tag "${context.owner}"); remove it from git or re-run with --adopt`,
        });
        continue;
      }
      actions.push({
        kind: 'update-route',
        service: service.name,
        zoneId: zone.id,
        zoneName: zone.name,
        routeId: existing.id,
        pattern: route.pattern,
        ...(existing.script !== undefined ? { from: existing.script } : {}),
        reason: ownedHolder ? `moved from service "${existing.script}"` : `adopted from ${holder(existing.script)}`,
      });
    }
  }

  for (const route of observed.routes) {
    if (route.script === undefined || !context.owned.has(route.script)) continue;
    if (wantedRoutes.has(`${route.zoneId}\n${route.pattern}`)) continue;
    actions.push({
      kind: 'delete-route',
      service: route.script,
      zoneId: route.zoneId,
      zoneName: zoneName(route.zoneId),
      routeId: route.id,
      pattern: route.pattern,
      ...noLongerDeclared(route.script, declaredServices),
    });
  }

  for (const domain of observed.domains) {
    if (!context.owned.has(domain.service) || wantedDomains.has(domain.hostname)) continue;
    actions.push({
      kind: 'detach-domain',
      service: domain.service,
      domainId: domain.id,
      hostname: domain.hostname,
      ...noLongerDeclared(domain.service, declaredServices),
    });
  }

  return { actions, errors };
}
