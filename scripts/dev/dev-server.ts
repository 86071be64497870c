import { createRequire } from 'node:module';
import type { Miniflare } from 'miniflare';
import { CronScheduler, type Schedules } from '../cloudflare/cron-scheduler.ts';
import { applyFleetMigrations, formatIssue, ConfigError, type Fleet } from '../fleet/index.ts';
import { devFleetOptions, type DevFleet } from './fleet-options.ts';
import { markPhase } from './timing.ts';
import { watchFleet } from './watch.ts';

export interface DevServerOptions {
  rootDir: string;
  /** `--env`: run the fleet as this environment names and routes it (default: the top-level one). */
  environment?: string;
  host: string;
  port: number;
  persistDir: string;
  watch: boolean;
  log: (line: string) => void;
}

export interface DevServer {
  url: URL;
  fleet: DevFleet['fleet'];
  /** Rebuilds the fleet and swaps it in; on a build error keeps serving the previous build. */
  reload(): Promise<boolean>;
  /** The fleet's Cron Triggers, scheduled; `fireNow(service)` runs one's at once. */
  crons: CronScheduler;
  close(): Promise<void>;
}

function describeError(error: unknown): string {
  if (error instanceof ConfigError) return error.issues.map(formatIssue).join('\n');
  return error instanceof Error ? error.message : String(error);
}

function schedulesOf(fleet: Fleet): Schedules {
  return { scripts: fleet.services.map((service) => ({ name: service.name, schedules: service.config.triggers?.crons ?? [] })) };
}

/**
 * Miniflare, required rather than imported: its package is one CommonJS file of about 4 MB, and an
 * ES `import` of CommonJS first scans the whole source for its export names (cjs-module-lexer) — the
 * largest single cost of `npm run dev` before the first answer, more than loading and bundling a
 * fleet of ten. `require` skips the scan; the module is the same.
 */
function loadMiniflare(): typeof import('miniflare') {
  return createRequire(import.meta.url)('miniflare') as typeof import('miniflare');
}

/** Every service of the fleet in one Miniflare on one port, routed by each service's routes. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const listen = { host: options.host, port: options.port, persistDir: options.persistDir };
  // Loading Miniflare's module takes this process longer than esbuild takes to bundle a fleet of
  // ten: it is loaded while esbuild bundles (the second call finds it loaded).
  let current = await devFleetOptions(options.rootDir, listen, options.environment, () => {
    loadMiniflare();
    markPhase('miniflare loaded (while esbuild bundles)');
  });
  const { Miniflare } = loadMiniflare();
  const miniflare = new Miniflare(current.options);
  const url = await miniflare.ready;
  markPhase('miniflare ready (workerd listening)');
  const migrate = async (fleet: Fleet) => {
    for (const migration of await applyFleetMigrations(fleet, miniflare)) options.log(`applied D1 migration ${migration.name} to ${migration.service} (${migration.binding})`);
  };
  try {
    await migrate(current.fleet);
    markPhase('D1 migrations applied');
  } catch (error) {
    await miniflare.dispose();
    throw error;
  }
  let reloading = Promise.resolve(true);
  // Cron Triggers fire on their schedule (UTC), as on Cloudflare; Miniflare alone never fires them.
  const crons = new CronScheduler(
    async (service, cron) => {
      const result = await (await miniflare.getWorker(service)).scheduled({ cron });
      options.log(`cron ${cron} of ${service}: ${result.outcome}`);
    },
    (message) => options.log(message),
  );
  crons.update(schedulesOf(current.fleet));

  const reload = () => {
    reloading = reloading.then(async () => {
      try {
        const next = await devFleetOptions(options.rootDir, { ...listen, port: Number(url.port) }, options.environment);
        await miniflare.setOptions(next.options);
        current = next;
        crons.update(schedulesOf(next.fleet));
        options.log(`reloaded ${next.fleet.services.length} services`);
      } catch (error) {
        options.log(`reload failed; still serving the previous build:\n${describeError(error)}`);
        return false;
      }
      try {
        await migrate(current.fleet);
        return true;
      } catch (error) {
        options.log(`D1 migrations failed; the new build runs without them:\n${describeError(error)}`);
        return false;
      }
    });
    return reloading;
  };

  const stopWatching = options.watch ? watchFleet(options.rootDir, () => void reload()) : () => undefined;
  return {
    url,
    get fleet() {
      return current.fleet;
    },
    reload,
    crons,
    async close() {
      crons.stop();
      stopWatching();
      await reloading;
      await miniflare.dispose();
    },
  };
}
