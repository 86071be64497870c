import type { MiniflareOptions } from 'miniflare';
import { bundleService, checkFleet, loadFleet, selectEnvironment, workerOptions, type Fleet } from '../fleet/index.ts';
import { readDevVars } from './dev-vars.ts';
import { markPhase } from './timing.ts';

const NO_ROUTE_WORKER = {
  name: 'edgeops-no-route',
  modules: true,
  compatibilityDate: '2026-04-01',
  script: `export default {
    fetch(request) {
      const url = new URL(request.url);
      const message = 'No route matched ' + url.host + url.pathname + '. Send the Host header of a route the fleet declares (npm run dev lists them).';
      return Response.json({ error: { code: 'no_route', message } }, { status: 404 });
    },
  };`,
};

export interface DevFleet {
  fleet: Fleet;
  options: MiniflareOptions;
}

/**
 * Loads, checks and bundles the fleet and turns it into one Miniflare's options. `whileBundling`
 * runs once every service's bundle is under way (esbuild builds them in its own process, all at
 * once), before they are awaited: work for this process that needs no bundle can overlap them.
 */
export async function devFleetOptions(
  rootDir: string,
  listen: { host: string; port: number; persistDir: string },
  environment?: string,
  whileBundling: () => void = () => undefined,
): Promise<DevFleet> {
  const loaded = await loadFleet(rootDir);
  checkFleet(loaded);
  // `--env`: the fleet as that environment names and routes it (see docs/environments.md).
  const fleet = await selectEnvironment(loaded, environment);
  markPhase('fleet loaded and checked');
  const bundling = Promise.all(
    fleet.services.map(async (service) => workerOptions(service, await bundleService(service), await readDevVars(service.dir))),
  );
  whileBundling();
  const workers = await bundling;
  markPhase('services bundled');
  return {
    fleet,
    options: {
      host: listen.host,
      port: listen.port,
      kvPersist: `${listen.persistDir}/kv`,
      d1Persist: `${listen.persistDir}/d1`,
      r2Persist: `${listen.persistDir}/r2`,
      cachePersist: `${listen.persistDir}/cache`,
      durableObjectsPersist: `${listen.persistDir}/durable-objects`,
      // Miniflare sends a request no route matches to its first worker: make that a clear 404.
      workers: [NO_ROUTE_WORKER, ...workers],
    },
  };
}
