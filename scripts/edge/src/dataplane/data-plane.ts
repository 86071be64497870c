import { join } from 'node:path';
import { Miniflare, Response as MiniflareResponse, type MiniflareOptions } from 'miniflare';
import { TraceBatchSchema } from '../analytics/trace-item.ts';
import type { Snapshot } from '../snapshot.ts';
import { bundleRouterWorker, bundleTailWorker } from './bundle.ts';
import { CronScheduler } from '../../../cloudflare/cron-scheduler.ts';
import { versionWorkerName } from './dispatch-table.ts';
import { publicRuntimeLines, withoutHostDetails } from './runtime-message.ts';
import { RuntimeOutput } from './runtime-output.ts';
import type { DataPlane, DataPlaneOptions } from './types.ts';
import { startListenerThread, type DataPlaneListener } from './listener-host.ts';
import { chooseVersion } from './version-split.ts';
import { D1_ACCESS_WORKER_NAME, d1BindingName } from './d1-access.ts';
import { kvNamespaceStore } from './kv-namespace-store.ts';
import { kvBindingName, r2BindingName, STORAGE_WORKER_NAME } from './storage-worker.ts';
import { ROUTER_WORKER_NAME, workersForSnapshot, type TailOptions } from './worker-options.ts';

/** workerd's own socket for the router: loopback, any port; only the listener (listener.ts) calls it. */
const RUNTIME_SOCKET = { host: '127.0.0.1', port: 0 };

const EMPTY_SNAPSHOT: Snapshot = { accountId: '', subdomain: '', scripts: [], routes: [], customDomains: [], queueConsumers: [], kvNamespaces: [], r2Buckets: [] };

/** Under the persist directory: Durable Object storage, by class storage id. */
export const DURABLE_OBJECTS_DIR = 'durable-objects';

/** Lets workerd print what it printed before Miniflare's error reaches us. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

function describeFailure(snapshot: Snapshot, error: unknown, stderr: string[]): string {
  const names = snapshot.scripts.flatMap((script) => script.versions.map((version) => versionWorkerName(script.name, version.id)));
  const text = stderr.join('\n');
  const culprits = names.filter((name) => text.includes(`core:user:${name}:`));
  const which = culprits.length > 0 ? `worker ${culprits.map((name) => `"${name}"`).join(', ')} failed to start` : 'the Workers runtime failed to start';
  const reason = withoutHostDetails(error instanceof Error ? error.message : String(error));
  const said = publicRuntimeLines(stderr);
  const runtime = said.length > 0 ? `\nworkerd said:\n${said.map((line) => `  ${line}`).join('\n')}` : '';
  return `Data plane could not apply the snapshot: ${which} (${reason}); still serving the previous snapshot.${runtime}`;
}

export async function createDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const host = options.host ?? '127.0.0.1';
  const routerScript = await bundleRouterWorker();
  const output = new RuntimeOutput(200, options.echoRuntimeStdout ?? true);
  const invocations = options.invocations;
  const tail: TailOptions | undefined = invocations && {
    script: await bundleTailWorker(),
    sink: async (request) => {
      const batch = TraceBatchSchema.safeParse(await request.json());
      if (batch.success) invocations.record(batch.data);
      else process.stderr.write(`edge: the tail worker sent traces in an unexpected shape (${batch.error.issues[0]?.message ?? 'invalid'})\n`);
      return new MiniflareResponse(null, { status: 204 });
    },
  };
  const optionsFor = (snapshot: Snapshot): MiniflareOptions => ({
    // Miniflare's own entry socket is unused (the router has a direct socket the listener forwards to).
    host,
    port: 0,
    // No cf.json download (the edge is offline) and no per-request log line through Node.
    cf: false,
    logRequests: false,
    defaultPersistRoot: options.persistDir,
    // Durable Object storage in its own directory: one SQLite file per object under its class's
    // storage id, so a new version, a rename or another runtime on the same state finds it.
    durableObjectsPersist: join(options.persistDir, DURABLE_OBJECTS_DIR),
    handleRuntimeStdio: output.handle,
    workers: workersForSnapshot(snapshot, routerScript, RUNTIME_SOCKET, tail),
  });

  let current = EMPTY_SNAPSHOT;
  let currentOptions = optionsFor(current);
  const miniflare = new Miniflare(currentOptions);
  await miniflare.ready;
  let listener: DataPlaneListener;
  try {
    listener = await startListenerThread({ host, port: options.port }, () => miniflare.unsafeGetDirectURL(ROUTER_WORKER_NAME));
  } catch (error) {
    await miniflare.dispose();
    throw error;
  }
  // apply() calls run one after the other: Miniflare restarts workerd on each.
  let queue: Promise<unknown> = Promise.resolve();

  async function scheduled(scriptName: string, cron: string): Promise<void> {
    const script = current.scripts.find((candidate) => candidate.name === scriptName);
    if (!script || script.versions.length === 0) throw new Error(`Cannot run cron "${cron}": the Worker "${scriptName}" has no deployment`);
    const version = chooseVersion(script.versions, { script: scriptName, random: Math.random });
    const worker = await miniflare.getWorker(versionWorkerName(scriptName, version.id));
    const result = await worker.scheduled({ cron, scheduledTime: new Date() });
    if (result.outcome !== 'ok') {
      throw new Error(`The scheduled handler of "${scriptName}" (version ${version.id}) for cron "${cron}" ended with outcome "${result.outcome}"`);
    }
  }

  const crons = new CronScheduler(
    (script, cron) => queue.then(() => scheduled(script, cron)),
    (message) => process.stderr.write(`edge: ${message}\n`),
  );

  async function applyNow(snapshot: Snapshot): Promise<void> {
    const next = optionsFor(snapshot);
    // The listener holds requests while workerd restarts, so none meets a stopped runtime.
    await listener.swap(() => restart(snapshot, next));
    current = snapshot;
    currentOptions = next;
    crons.update(snapshot);
  }

  async function restart(snapshot: Snapshot, next: MiniflareOptions): Promise<void> {
    output.mark();
    try {
      await miniflare.setOptions(next);
    } catch (error) {
      await settle();
      const message = describeFailure(snapshot, error, output.since());
      try {
        await miniflare.setOptions(currentOptions);
      } catch (restoreError) {
        const reason = restoreError instanceof Error ? restoreError.message : String(restoreError);
        throw new Error(`${message.replace('; still serving the previous snapshot.', '.')}\nRestarting the previous snapshot failed too (${reason}): the data plane is down until the next successful apply.`, {
          cause: error,
        });
      }
      throw new Error(message, { cause: error });
    }
  }

  let disposed = false;
  const ensureOpen = (): void => {
    if (disposed) throw new Error('The data plane was disposed');
  };

  return {
    url: listener.url,
    apply(snapshot) {
      const run = queue.then(() => {
        ensureOpen();
        return applyNow(snapshot);
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async scheduled(script, cron) {
      await queue;
      ensureOpen();
      await scheduled(script, cron);
    },
    async d1Database(databaseId) {
      await queue;
      ensureOpen();
      if (!(current.d1Databases ?? []).includes(databaseId)) return undefined;
      return miniflare.getD1Database(d1BindingName(databaseId), D1_ACCESS_WORKER_NAME);
    },
    async kvNamespace(namespaceId) {
      await queue;
      ensureOpen();
      if (!current.kvNamespaces.includes(namespaceId)) return undefined;
      const bindingName = kvBindingName(namespaceId);
      return kvNamespaceStore(await miniflare.getKVNamespace(bindingName, STORAGE_WORKER_NAME), { worker: await miniflare.getWorker(STORAGE_WORKER_NAME), bindingName });
    },
    async r2BucketHasObjects(bucket) {
      await queue;
      ensureOpen();
      if (!current.r2Buckets.includes(bucket)) return undefined;
      const binding = await miniflare.getR2Bucket(r2BindingName(bucket), STORAGE_WORKER_NAME);
      return (await binding.list({ limit: 1 })).objects.length > 0;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      crons.stop();
      await queue;
      try {
        await listener.close();
      } finally {
        await miniflare.dispose();
      }
    },
  };
}
