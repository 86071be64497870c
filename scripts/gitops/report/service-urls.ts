import { parseRoutePattern } from '../../cloudflare/route-pattern.ts';
import type { DesiredState } from '../state/desired.ts';

/** Where one Worker of the applied environment answers: a URL per route it serves. */
export interface ServiceUrls {
  script: string;
  urls: string[];
}

/**
 * The URLs each Worker of the desired state answers on, from its routes (grammar:
 * https://developers.cloudflare.com/workers/configuration/routing/routes/): `https://` + host +
 * path without its trailing `*`; a custom domain is its hostname's root. Routes on a wildcard host
 * (`*.example.com`) name no single URL and are left out.
 */
export function serviceUrls(desired: DesiredState): ServiceUrls[] {
  return desired.services
    .map((service) => ({
      script: service.name,
      urls: service.routes.flatMap((route) => {
        if (route.customDomain) return [`https://${route.pattern}/`];
        const parsed = parseRoutePattern(route.pattern);
        return parsed.hostWildcard === 'none' ? [`${parsed.scheme ?? 'https'}://${parsed.host}${parsed.path}`] : [];
      }),
    }))
    .sort((left, right) => left.script.localeCompare(right.script));
}
