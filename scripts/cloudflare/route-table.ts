import { routeMatches, type RequestTarget } from './route-match.ts';
import { parseRoutePattern, RoutePatternError, type ParsedRoutePattern } from './route-pattern.ts';
import { compareSpecificity } from './route-specificity.ts';

/** A route as declared: a pattern and the script it sends requests to (none: the route negates). */
export interface RouteDeclaration {
  pattern: string;
  script?: string;
}

export interface CompiledRoute {
  route: ParsedRoutePattern;
  script?: string;
}

export interface RouteTable {
  /** Most specific first. */
  routes: CompiledRoute[];
  /** Patterns that could not be parsed, with why; they never match. */
  rejected: { pattern: string; error: string }[];
}

/** Parses and orders routes, most specific first; equally specific routes keep their declared order. */
export function compileRouteTable(declarations: readonly RouteDeclaration[]): RouteTable {
  const routes: CompiledRoute[] = [];
  const rejected: RouteTable['rejected'] = [];
  for (const declaration of declarations) {
    try {
      const route = parseRoutePattern(declaration.pattern);
      routes.push(declaration.script === undefined ? { route } : { route, script: declaration.script });
    } catch (error) {
      if (!(error instanceof RoutePatternError)) throw error;
      rejected.push({ pattern: declaration.pattern, error: error.message });
    }
  }
  routes.sort((a, b) => compareSpecificity(a.route, b.route));
  return { routes, rejected };
}

/**
 * The most specific route matching the request, or undefined. A match without a script means the
 * request goes to no Worker (negation).
 */
export function findRoute(table: RouteTable, target: RequestTarget): CompiledRoute | undefined {
  return table.routes.find((candidate) => routeMatches(candidate.route, target));
}
