import type { RequestTarget } from '../../../cloudflare/route-match.ts';
import { compileRouteTable, findRoute, type RouteTable } from '../../../cloudflare/route-table.ts';
import type { DispatchTable } from './dispatch-table.ts';

/** Where a request goes, or why it goes nowhere. */
export type Dispatch =
  | { kind: 'script'; script: string; via: 'route' | 'custom-domain' | 'workers.dev'; pattern?: string }
  | { kind: 'negated'; pattern: string }
  | { kind: 'unmatched' };

export interface CompiledDispatchTable {
  table: DispatchTable;
  routes: RouteTable;
}

export function compileDispatchTable(table: DispatchTable): CompiledDispatchTable {
  return { table, routes: compileRouteTable(table.routes) };
}

/**
 * Resolves a request to a script. Zone routes come first (on Cloudflare a route on a Custom
 * Domain's hostname takes precedence, https://developers.cloudflare.com/workers/configuration/routing/routes/);
 * a matching route without a script sends the request to no Worker, which on a Custom Domain
 * means the domain's Worker (the origin); then Custom Domains by exact hostname; then
 * `<script>.<subdomain>.workers.dev` for scripts with workers.dev enabled.
 */
export function resolveDispatch(compiled: CompiledDispatchTable, target: RequestTarget): Dispatch {
  const { table } = compiled;
  if (table.fixedScript !== undefined) return { kind: 'script', script: table.fixedScript, via: 'route' };
  const route = findRoute(compiled.routes, target);
  if (route?.script !== undefined) return { kind: 'script', script: route.script, via: 'route', pattern: route.route.source };
  const domainScript = table.customDomains[target.host];
  if (domainScript !== undefined) return { kind: 'script', script: domainScript, via: 'custom-domain' };
  if (route) return { kind: 'negated', pattern: route.route.source };
  const suffix = `.${table.workersDev.subdomain}.workers.dev`;
  if (target.host.endsWith(suffix)) {
    const script = target.host.slice(0, -suffix.length);
    if (table.workersDev.scripts.includes(script)) return { kind: 'script', script, via: 'workers.dev' };
  }
  return { kind: 'unmatched' };
}
