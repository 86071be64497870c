/**
 * A Workers route pattern, parsed. Grammar and validity rules from Cloudflare's docs,
 * https://developers.cloudflare.com/workers/configuration/routing/routes/ ("Matching behavior"
 * and "Validity"):
 *   [http:// | https://] [* | *.]host [/path[*]]
 * The only operator is `*`; it may start the host and end the path, nowhere else. No query string.
 * An omitted path means `/`. Hosts compare case-insensitively (routes created since October 2023);
 * paths compare case-sensitively.
 */

export type RouteScheme = 'http' | 'https';

/** How the host part starts: `example.com`, `*example.com` (host and anything ending so), `*.example.com` (subhosts only). */
export type HostWildcard = 'none' | 'prefix' | 'subdomains';

export interface ParsedRoutePattern {
  /** The pattern as written. */
  source: string;
  /** Absent: matches both http and https. */
  scheme?: RouteScheme;
  hostWildcard: HostWildcard;
  /** Lower-cased host without its wildcard (`example.com` for `*.example.com`). */
  host: string;
  /** The path without its trailing wildcard; starts with `/`. */
  path: string;
  /** Whether the path ends with `*` (matches every suffix, query string included). */
  pathWildcard: boolean;
}

export class RoutePatternError extends Error {
  override name = 'RoutePatternError';
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`Invalid route pattern "${pattern}": ${reason}`);
  }
}

const SCHEMES: readonly RouteScheme[] = ['http', 'https'];
const HOST_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

function splitScheme(pattern: string): { scheme?: RouteScheme; rest: string } {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(pattern);
  if (!match) return { rest: pattern };
  const scheme = (match[1] ?? '').toLowerCase();
  const known = SCHEMES.find((candidate) => candidate === scheme);
  if (!known) throw new RoutePatternError(pattern, `the scheme may only be http:// or https://, not ${scheme}://`);
  return { scheme: known, rest: pattern.slice(match[0].length) };
}

function parseHost(pattern: string, rawHost: string): { host: string; hostWildcard: HostWildcard } {
  let hostWildcard: HostWildcard = 'none';
  let host = rawHost.toLowerCase();
  if (host.startsWith('*.')) {
    hostWildcard = 'subdomains';
    host = host.slice(2);
  } else if (host.startsWith('*')) {
    hostWildcard = 'prefix';
    host = host.slice(1);
  }
  if (host.includes('*')) {
    throw new RoutePatternError(pattern, 'a wildcard (*) is only allowed at the start of the host and the end of the path');
  }
  if (host.includes(':')) throw new RoutePatternError(pattern, 'a route pattern may not name a port');
  if (host.includes('@')) throw new RoutePatternError(pattern, 'a route pattern may not contain credentials (@)');
  if (host === '') throw new RoutePatternError(pattern, 'the pattern has no host');
  if (!HOST_NAME.test(host)) {
    throw new RoutePatternError(pattern, `"${rawHost}" is not a valid host name (letters, digits, "-" and "." only)`);
  }
  return { host, hostWildcard };
}

function parsePath(pattern: string, rawPath: string): { path: string; pathWildcard: boolean } {
  if (rawPath.includes('?')) throw new RoutePatternError(pattern, 'a route pattern may not contain a query string (?)');
  if (rawPath.includes('#')) throw new RoutePatternError(pattern, 'a route pattern may not contain a fragment (#)');
  const pathWildcard = rawPath.endsWith('*');
  const path = pathWildcard ? rawPath.slice(0, -1) : rawPath;
  if (path.includes('*')) {
    throw new RoutePatternError(pattern, 'a wildcard (*) is only allowed at the start of the host and the end of the path');
  }
  return { path: path === '' ? '/' : path, pathWildcard };
}

/** Parses a route pattern; throws {@link RoutePatternError} naming what is wrong. */
export function parseRoutePattern(pattern: string): ParsedRoutePattern {
  if (pattern.trim() === '') throw new RoutePatternError(pattern, 'the pattern is empty');
  if (/\s/.test(pattern)) throw new RoutePatternError(pattern, 'a route pattern may not contain whitespace');
  const { scheme, rest } = splitScheme(pattern);
  const slash = rest.indexOf('/');
  const rawHost = slash === -1 ? rest : rest.slice(0, slash);
  // A wildcard host with no path (`*example.com*`) or a host ending in `*` is a misplaced wildcard.
  const rawPath = slash === -1 ? '' : rest.slice(slash);
  if (rawPath === '' && rawHost.endsWith('*')) {
    throw new RoutePatternError(pattern, 'a wildcard (*) is only allowed at the start of the host and the end of the path');
  }
  if (rawHost.includes('?')) throw new RoutePatternError(pattern, 'a route pattern may not contain a query string (?)');
  const { host, hostWildcard } = parseHost(pattern, rawHost);
  const { path, pathWildcard } = parsePath(pattern, rawPath);
  return { source: pattern, ...(scheme ? { scheme } : {}), hostWildcard, host, path, pathWildcard };
}

const HOST_PREFIX: Record<HostWildcard, string> = { none: '', prefix: '*', subdomains: '*.' };

/** The canonical spelling of a parsed pattern (lower-case host, explicit path). */
export function formatRoutePattern(route: ParsedRoutePattern): string {
  const scheme = route.scheme ? `${route.scheme}://` : '';
  return `${scheme}${HOST_PREFIX[route.hostWildcard]}${route.host}${route.path}${route.pathWildcard ? '*' : ''}`;
}

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
  if (zoneName !== undefined && zoneOfRoute(route, [zoneName]) === undefined) {
    return {
      ok: false,
      error: `Invalid route pattern "${pattern}": its host must be the zone "${zoneName}" or a subdomain of it`,
    };
  }
  return { ok: true, route };
}

/**
 * The zone of `zones` the route's host lies in (the zone itself or a subdomain of it), if any; with
 * nested zones (`example.com`, `shop.example.com`) the longest, as a host belongs to its closest zone.
 */
export function zoneOfRoute(route: ParsedRoutePattern, zones: readonly string[]): string | undefined {
  let closest: string | undefined;
  for (const zone of zones) {
    const name = zone.toLowerCase();
    const inside = route.host === name || route.host.endsWith(`.${name}`);
    if (inside && (closest === undefined || name.length > closest.length)) closest = zone;
  }
  return closest;
}

/**
 * What two routes collide on: Cloudflare keeps one route per pattern in a zone, hosts compare
 * case-insensitively, and a scheme only narrows a pattern (`https://a.com/x*` and `a.com/x*` claim
 * the same requests). A pattern that does not parse is its own key.
 */
export function routeKey(pattern: string): string {
  try {
    const route = parseRoutePattern(pattern);
    return formatRoutePattern({ ...route, scheme: undefined });
  } catch (error) {
    if (error instanceof RoutePatternError) return pattern;
    throw error;
  }
}
