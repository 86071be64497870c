import type { ParsedRoutePattern } from './route-pattern.ts';

/**
 * Cloudflare's ordering when several patterns match one request: the most specific wins
 * (https://developers.cloudflare.com/workers/configuration/routing/routes/, "Matching behavior").
 * The host decides first, then the path, then the scheme:
 * - an exact host beats any wildcard host (`www.example.com/*` over `*.example.com/*`; and, from
 *   https://developers.cloudflare.com/workers/platform/known-issues/ "Route specificity",
 *   `a.example.com/*` over `*.example.com/a`), a longer wildcard suffix beats a shorter one
 *   (`*.example.com` over `*example.com`);
 * - a longer literal path beats a shorter one (`example.com/hello/*` over `example.com/*`), and an
 *   exact path beats a wildcard of the same literal. A trailing `/*` counts as a wildcard starting
 *   at its `/` (the known issue: `example.com/images*` wins over `example.com/images/*` for
 *   `example.com/images/hello`);
 * - a pattern naming its scheme beats one that does not.
 */
export interface RouteSpecificity {
  hostExact: number;
  hostLiteral: number;
  pathLiteral: number;
  /** 2 exact path, 1 trailing `*`, 0 trailing `/*`. */
  pathKind: number;
  scheme: number;
}

export function specificityOf(route: ParsedRoutePattern): RouteSpecificity {
  const slashStar = route.pathWildcard && route.path.endsWith('/');
  return {
    hostExact: route.hostWildcard === 'none' ? 1 : 0,
    hostLiteral: route.host.length + (route.hostWildcard === 'subdomains' ? 1 : 0),
    pathLiteral: slashStar ? route.path.length - 1 : route.path.length,
    pathKind: !route.pathWildcard ? 2 : slashStar ? 0 : 1,
    scheme: route.scheme === undefined ? 0 : 1,
  };
}

const ORDER: readonly (keyof RouteSpecificity)[] = ['hostExact', 'hostLiteral', 'pathLiteral', 'pathKind', 'scheme'];

/** Negative when `a` is more specific than `b`, positive when less, 0 when equally specific (sorts most specific first). */
export function compareSpecificity(a: ParsedRoutePattern, b: ParsedRoutePattern): number {
  const left = specificityOf(a);
  const right = specificityOf(b);
  for (const key of ORDER) {
    const difference = right[key] - left[key];
    if (difference !== 0) return difference;
  }
  return 0;
}
