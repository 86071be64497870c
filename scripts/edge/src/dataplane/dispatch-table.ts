import type { Snapshot } from '../snapshot.ts';

/** One version as the router sees it: its share and the service binding that reaches its worker. */
export interface DispatchVersion {
  id: string;
  percentage: number;
  binding: string;
}

/**
 * What the router worker needs to route a request, passed to it as a JSON binding. Built from a
 * {@link Snapshot} by {@link buildDispatchTable}.
 */
export interface DispatchTable {
  routes: { pattern: string; script?: string }[];
  /** Lower-case hostname → script. */
  customDomains: Record<string, string>;
  /** `<script>.<subdomain>.workers.dev` serves the scripts listed here. */
  workersDev: { subdomain: string; scripts: string[] };
  scripts: Record<string, { versions: DispatchVersion[] }>;
  /** Set on a script's entry worker (a service-binding target): every request goes to this script. */
  fixedScript?: string;
}

export const TABLE_BINDING = 'EDGE_DISPATCH_TABLE';

/** The Miniflare worker name of one version of a script. Script names cannot contain `@`. */
export function versionWorkerName(script: string, versionId: string): string {
  return `${script}@${versionId}`;
}

export function buildDispatchTable(snapshot: Snapshot): DispatchTable {
  const scripts: DispatchTable['scripts'] = {};
  let bindingIndex = 0;
  for (const script of snapshot.scripts) {
    scripts[script.name] = {
      versions: script.versions.map((version) => ({ id: version.id, percentage: version.percentage, binding: `VERSION_${bindingIndex++}` })),
    };
  }
  const customDomains: Record<string, string> = {};
  for (const domain of snapshot.customDomains) customDomains[domain.hostname.toLowerCase()] = domain.script;
  return {
    routes: snapshot.routes.map((route) => (route.script === undefined ? { pattern: route.pattern } : { pattern: route.pattern, script: route.script })),
    customDomains,
    workersDev: {
      subdomain: snapshot.subdomain.toLowerCase(),
      scripts: snapshot.scripts.filter((script) => script.workersDev).map((script) => script.name),
    },
    scripts,
  };
}
