import { parseRoutePattern, RoutePatternError, type ParsedRoutePattern } from './pattern.ts';

export type RoutePatternValidation = { ok: true; route: ParsedRoutePattern } | { ok: false; error: string };

/**
 * Checks a route pattern by Cloudflare's validity rules
 * (https://developers.cloudflare.com/workers/configuration/routing/routes/#validity): not empty, `*`
 * only at the host's start and the path's end, no query string, scheme http/https if any, and —
 * when `zoneName` is given — the host must lie inside that zone ("Route patterns must include your zone").
 */
export function validateRoutePattern(pattern: string, zoneName?: string): RoutePatternValidation {
  let route: ParsedRoutePattern;
  try {
    route = parseRoutePattern(pattern);
  } catch (error) {
    if (error instanceof RoutePatternError) return { ok: false, error: error.message };
    throw error;
  }
  if (zoneName !== undefined) {
    const zone = zoneName.toLowerCase();
    if (route.host !== zone && !route.host.endsWith(`.${zone}`)) {
      return {
        ok: false,
        error: `Invalid route pattern "${pattern}": its host must be the zone "${zoneName}" or a subdomain of it`,
      };
    }
  }
  return { ok: true, route };
}
