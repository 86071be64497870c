import { Miniflare } from 'miniflare';
import { formatIssue, ConfigError } from '../fleet/index.ts';
import { devFleetOptions, type DevFleet } from './fleet-options.ts';
import { watchFleet } from './watch.ts';

export interface DevServerOptions {
  rootDir: string;
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
  close(): Promise<void>;
}

function describeError(error: unknown): string {
  if (error instanceof ConfigError) return error.issues.map(formatIssue).join('\n');
  return error instanceof Error ? error.message : String(error);
}

/** Every service of the fleet in one Miniflare on one port, routed by each service's routes. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const listen = { host: options.host, port: options.port, persistDir: options.persistDir };
  let current = await devFleetOptions(options.rootDir, listen);
  const miniflare = new Miniflare(current.options);
  const url = await miniflare.ready;
  let reloading = Promise.resolve(true);

  const reload = () => {
    reloading = reloading.then(async () => {
      try {
        const next = await devFleetOptions(options.rootDir, { ...listen, port: Number(url.port) });
        await miniflare.setOptions(next.options);
        current = next;
        options.log(`reloaded ${next.fleet.services.length} services`);
        return true;
      } catch (error) {
        options.log(`reload failed; still serving the previous build:\n${describeError(error)}`);
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
    async close() {
      stopWatching();
      await reloading;
      await miniflare.dispose();
    },
  };
}
