import { join } from 'node:path';
import { Response as MiniflareResponse, type MiniflareOptions } from 'miniflare';
import { TraceBatchSchema } from '../analytics/trace-item.ts';
import type { Snapshot } from '../snapshot.ts';
import { bundleRouterWorker, bundleTailWorker } from './bundle.ts';
import { CronScheduler } from '../../../cloudflare/cron-scheduler.ts';
import { buildDispatchTable, versionWorkerName } from './dispatch-table.ts';
import { publicRuntimeLines, withoutHostDetails } from './runtime-message.ts';
import { RuntimeOutput } from './runtime-output.ts';
import type { DataPlane, DataPlaneOptions } from './types.ts';
import { startListenerThread, type DataPlaneListener } from './listener-host.ts';
import { chooseVersion } from './version-split.ts';
import { D1_ACCESS_WORKER_NAME, d1BindingName } from './d1-access.ts';
import { kvNamespaceStore } from './kv-namespace-store.ts';
import { kvBindingName, r2BindingName, STORAGE_WORKER_NAME } from './storage-worker.ts';
import { ROUTER_WORKER_NAME, workersForSnapshot, type TailOptions } from './worker-options.ts';
import { d1Node, HOME_SHARD, kvNode, planShards, r2Node, shardOfResource, shardOfScript, shardSnapshot, type ShardAssignment } from './shard-plan.ts';
import { ShardSet, ShardStartError, type ShardConfig } from './shard-set.ts';
import { workersFingerprint } from './options-fingerprint.ts';
import type { ShardUpstreams } from './upstream-selection.ts';

/** workerd's own socket for the router: loopback, any port; only the listener (listener.ts) calls it. */
const RUNTIME_SOCKET = { host: '127.0.0.1', port: 0 };

const EMPTY_SNAPSHOT: Snapshot = { accountId: '', subdomain: '', scripts: [], routes: [], customDomains: [], queueConsumers: [], kvNamespaces: [], r2Buckets: [] };

/** Under the persist directory: Durable Object storage, by class storage id. */
export const DURABLE_OBJECTS_DIR = 'durable-objects';

/** Under the persist directory: each shard's Cache API storage (one workerd per directory), by shard id. */
export const CACHE_DIR = 'cache';

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
  const optionsFor = (snapshot: Snapshot, shard: string): MiniflareOptions => ({
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
    // KV, D1 and R2 data is per resource (one shard holds each); the Cache API's store is per runtime.
    cachePersist: join(options.persistDir, CACHE_DIR, shard),
    handleRuntimeStdio: output.handle,
    workers: workersForSnapshot(snapshot, routerScript, RUNTIME_SOCKET, tail),
  });
  /** Every shard of `plan` as it should run (throws, before anything restarts, on a snapshot that cannot run). */
  const configsFor = (snapshot: Snapshot, plan: ShardAssignment): ShardConfig[] =>
    plan.shards.map((shard) => {
      const part = shardSnapshot(snapshot, shard.scripts, shard.resources);
      const shardOptions = optionsFor(part, shard.id);
      return { id: shard.id, snapshot: part, options: shardOptions, fingerprint: workersFingerprint(shardOptions.workers ?? []), holds: shard.resources };
    });

  let current = EMPTY_SNAPSHOT;
  let assignment = planShards(current, undefined, options.shardCap);
  const shards = new ShardSet();
  await shards.apply(configsFor(current, assignment)).catch((error: unknown) => {
    throw error instanceof ShardStartError ? error.reason : error;
  });
  /** Where each shard's router and each version Worker listen, and which shard runs which script (upstream-selection.ts). */
  const upstreams = async (): Promise<ShardUpstreams> => {
    const shardOf: Record<string, string> = {};
    for (const shard of assignment.shards) for (const script of shard.scripts) shardOf[script] = shard.id;
    const versionWorkers = (shard: ShardConfig): string[] =>
      shard.snapshot.scripts.flatMap((script) => script.versions.map((version) => versionWorkerName(script.name, version.id)));
    const [urls, versionUrls] = await Promise.all([shards.urls(ROUTER_WORKER_NAME), shards.workerUrls(versionWorkers)]);
    return { urls, home: HOME_SHARD, routing: { table: buildDispatchTable(current), shardOf, versionUrls } };
  };
  let listener: DataPlaneListener;
  try {
    listener = await startListenerThread({ host, port: options.port }, upstreams);
  } catch (error) {
    await shards.dispose();
    throw error;
  }
  // apply() calls run one after the other: each may restart shards (Miniflare restarts their workerd).
  let queue: Promise<unknown> = Promise.resolve();

  /** The Miniflare running `script`'s shard. */
  const runtimeOf = (script: string) => shards.get(shardOfScript(assignment, script));

  async function scheduled(scriptName: string, cron: string): Promise<void> {
    const script = current.scripts.find((candidate) => candidate.name === scriptName);
    const miniflare = runtimeOf(scriptName);
    if (!script || script.versions.length === 0 || !miniflare) throw new Error(`Cannot run cron "${cron}": the Worker "${scriptName}" has no deployment`);
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
    const plan = planShards(snapshot, assignment, options.shardCap);
    const next = configsFor(snapshot, plan);
    if (!shards.restarts(next)) {
      // No Worker changed (an upload not deployed, a secret of an undeployed version): nothing
      // restarts, so requests are not held; the listener's routing is the same too (any change to
      // it changes some shard's router table).
      current = snapshot;
      assignment = plan;
      crons.update(snapshot);
      return;
    }
    // The listener holds requests while shards restart, so none meets a stopped runtime; only the
    // shards whose Workers changed restart (shard-set.ts).
    await listener.swap(async () => {
      output.mark();
      try {
        await shards.apply(next);
      } catch (error) {
        if (!(error instanceof ShardStartError)) throw error;
        await settle();
        const message = describeFailure(error.shard.snapshot, error.reason, output.since());
        if (error.restoreError !== undefined) {
          const reason = error.restoreError instanceof Error ? error.restoreError.message : String(error.restoreError);
          throw new Error(`${message.replace('; still serving the previous snapshot.', '.')}\nRestarting the previous snapshot failed too (${reason}): the data plane is down until the next successful apply.`, {
            cause: error.reason,
          });
        }
        throw new Error(message, { cause: error.reason });
      }
      current = snapshot;
      assignment = plan;
    });
    crons.update(snapshot);
  }

  /** The Miniflare holding a resource (shard-plan.ts node key). */
  const holderOf = (resource: string) => shards.get(shardOfResource(assignment, resource));

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
      const miniflare = holderOf(d1Node(databaseId));
      if (!(current.d1Databases ?? []).includes(databaseId) || !miniflare) return undefined;
      return miniflare.getD1Database(d1BindingName(databaseId), D1_ACCESS_WORKER_NAME);
    },
    async kvNamespace(namespaceId) {
      await queue;
      ensureOpen();
      const miniflare = holderOf(kvNode(namespaceId));
      if (!current.kvNamespaces.includes(namespaceId) || !miniflare) return undefined;
      const bindingName = kvBindingName(namespaceId);
      return kvNamespaceStore(await miniflare.getKVNamespace(bindingName, STORAGE_WORKER_NAME), { worker: await miniflare.getWorker(STORAGE_WORKER_NAME), bindingName });
    },
    async r2BucketHasObjects(bucket) {
      await queue;
      ensureOpen();
      const miniflare = holderOf(r2Node(bucket));
      if (!current.r2Buckets.includes(bucket) || !miniflare) return undefined;
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
        await shards.dispose();
      }
    },
  };
}
