import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { bundleService } from './bundle.ts';
import { checkFleet } from './check.ts';
import { applyFleetMigrations } from './d1-migrations.ts';
import { loadFleet, type Fleet } from './load.ts';
import { workerOptions } from './miniflare.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

/** The repository this file belongs to. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The services the repository ships as its example fleet. */
export const EXAMPLE_SERVICES: readonly string[] = ['notifications', 'orders', 'users'];

/**
 * A temporary fleet of the example services only: the root wrangler.toml and `services/<example>`
 * copied, node_modules and shared/ linked. Tools' tests run on it, so the services a user adds to
 * the repository never change their outcome. `remove` deletes the copy (links as links).
 */
export async function copyExampleFleet(): Promise<{ rootDir: string; remove(): Promise<void> }> {
  const rootDir = await mkdtemp(join(tmpdir(), 'edgeops-example-fleet-'));
  for (const name of EXAMPLE_SERVICES) {
    await cp(join(REPO_ROOT, 'services', name), join(rootDir, 'services', name), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|\.wrangler)([/\\]|$)/.test(source),
    });
  }
  await cp(join(REPO_ROOT, 'wrangler.toml'), join(rootDir, 'wrangler.toml'));
  await symlink(join(REPO_ROOT, 'node_modules'), join(rootDir, 'node_modules'));
  await symlink(join(REPO_ROOT, 'shared'), join(rootDir, 'shared'));
  return { rootDir, remove: () => rm(rootDir, { recursive: true, force: true }) };
}

type Worker = Awaited<ReturnType<Miniflare['getWorker']>>;

export interface FleetHarness {
  fleet: Fleet;
  miniflare: Miniflare;
  /** Sends a request the way the edge would: the URL's host and path pick the service by its routes. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** One service's Worker, to call its `fetch`, `scheduled` or `queue` handlers directly. */
  worker(name: string): Promise<Worker>;
  dispose(): Promise<void>;
}

export interface FleetHarnessOptions {
  rootDir?: string;
  /** Secrets per service, as `.dev.vars` would give them. */
  secrets?: Record<string, Record<string, string>>;
}

/**
 * Runs the real fleet in workerd: every service built from its own wrangler.toml and bundle, with
 * its KV, D1, queues and service bindings to the other real services. In-memory storage, so each
 * harness starts empty.
 */
export async function startFleet(options: FleetHarnessOptions = {}): Promise<FleetHarness> {
  const fleet = await loadFleet(options.rootDir ?? REPO_ROOT);
  checkFleet(fleet);
  const workers = await Promise.all(
    fleet.services.map(async (service) => workerOptions(service, await bundleService(service), options.secrets?.[service.name])),
  );
  const miniflare = new Miniflare({ workers });
  await miniflare.ready;
  // Tests see the schema the services' D1 migrations declare, as a deployed fleet has it.
  try {
    await applyFleetMigrations(fleet, miniflare);
  } catch (error) {
    await miniflare.dispose();
    throw error;
  }
  return {
    fleet,
    miniflare,
    fetch: async (url, init) => (await miniflare.dispatchFetch(url, init as never)) as unknown as Response,
    worker: (name) => miniflare.getWorker(name),
    dispose: () => miniflare.dispose(),
  };
}
