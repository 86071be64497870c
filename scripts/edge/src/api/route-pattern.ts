/**
 * The control plane's checks on a route pattern, using the platform's one grammar
 * (scripts/cloudflare/route-pattern.ts, also the data plane's matcher): Cloudflare's validity
 * rules, and the host inside the route's zone.
 */
import { parseRoutePattern, RoutePatternError, validateRoutePattern } from '../../../cloudflare/route-pattern.ts';
import { fail } from './errors.ts';

/** The lower-cased host of `pattern` without its wildcard, or `''` when it does not parse. */
export function patternHost(pattern: string): string {
  try {
    return parseRoutePattern(pattern).host;
  } catch (error) {
    if (error instanceof RoutePatternError) return '';
    throw error;
  }
}

/** Fails with 10022 unless `pattern` is valid and inside `zoneName`. */
export function checkRoutePattern(pattern: unknown, zoneName: string): string {
  if (typeof pattern !== 'string' || pattern.trim() === '') return fail('invalidRoutePattern', 'Route pattern must be a non-empty string such as "example.com/*"');
  const result = validateRoutePattern(pattern, zoneName);
  if (!result.ok) fail('invalidRoutePattern', `${result.error} (Route pattern must include zone name ${zoneName})`);
  return pattern;
}
