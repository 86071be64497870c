import type { ParsedRoutePattern, RouteScheme } from './route-pattern.ts';

/** The parts of a request URL that route matching looks at. Ports play no part. */
export interface RequestTarget {
  scheme: RouteScheme;
  /** Host name without port; compared case-insensitively. */
  host: string;
  /** Path plus query string (`/images/cat.png?foo=bar`): the query is part of what is matched. */
  pathAndQuery: string;
}

/** Builds a {@link RequestTarget} from a URL, taking the scheme from it unless one is given. */
export function requestTargetOf(url: URL, scheme?: RouteScheme): RequestTarget {
  return {
    scheme: scheme ?? (url.protocol === 'https:' ? 'https' : 'http'),
    host: url.hostname.toLowerCase(),
    pathAndQuery: `${url.pathname}${url.search}`,
  };
}

function hostMatches(route: ParsedRoutePattern, host: string): boolean {
  const candidate = host.toLowerCase();
  switch (route.hostWildcard) {
    case 'none':
      return candidate === route.host;
    case 'prefix': {
      // `*` matches zero or more characters: `*example.com` matches `example.com`, `www.example.com`
      // and even `myexample.com`, but the Routes page's table says not `not-example.com`, so the
      // character just before the literal host may not be a `-`.
      if (!candidate.endsWith(route.host)) return false;
      const before = candidate.charAt(candidate.length - route.host.length - 1);
      return before !== '-';
    }
    case 'subdomains':
      return candidate.length > route.host.length + 1 && candidate.endsWith(`.${route.host}`);
  }
}

function pathMatches(route: ParsedRoutePattern, pathAndQuery: string): boolean {
  return route.pathWildcard ? pathAndQuery.startsWith(route.path) : pathAndQuery === route.path;
}

/** Whether a route pattern matches a request, by the rules of Cloudflare's Routes page. */
export function routeMatches(route: ParsedRoutePattern, target: RequestTarget): boolean {
  if (route.scheme !== undefined && route.scheme !== target.scheme) return false;
  return hostMatches(route, target.host) && pathMatches(route, target.pathAndQuery);
}
