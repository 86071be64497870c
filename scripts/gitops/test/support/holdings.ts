import { CloudflareClient } from '../../api/client.ts';
import { listDeployments, listRoutes, listScripts, listVersions, listZones } from '../../api/cloudflare.ts';
import type { TestEdge } from './edge.ts';

/** What one owner tag holds on the account: scripts with their deployments and versions, and the routes they serve. */
export async function holdings(tag: string, on: TestEdge): Promise<{ scripts: string[]; deployments: unknown[]; routes: Array<{ pattern: string }> }> {
  const client = new CloudflareClient(on.endpoint);
  const scripts = (await listScripts(client, tag)).map((script) => script.id).sort();
  const deployments = await Promise.all(
    scripts.map(async (script) => ({ script, deployments: await listDeployments(client, script), versions: (await listVersions(client, script)).map((version) => version.id).sort() })),
  );
  const zones = await listZones(client);
  const routes = (await Promise.all(zones.map((zone) => listRoutes(client, zone.id)))).flat().filter((route) => typeof route.script === 'string' && scripts.includes(route.script));
  return { scripts, deployments, routes: routes.sort((a, b) => a.pattern.localeCompare(b.pattern)) };
}
