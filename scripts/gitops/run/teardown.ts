import { environmentOwnerTag, environmentResourceName, PREVIEW_BASE, PREVIEW_ENVIRONMENT } from '../../cloudflare/environments.ts';
import { loadFleet, selectEnvironment } from '../../fleet/index.ts';
import { CloudflareClient, type ApiEndpoint } from '../api/client.ts';
import {
  deleteD1Database,
  deleteKvNamespace,
  deleteQueue,
  deleteRoute,
  deleteScript,
  listD1Databases,
  listKvNamespaces,
  listQueues,
  listRoutes,
  listScripts,
  listZones,
} from '../api/cloudflare.ts';
import type { Target } from '../plan/plan.ts';
import { environmentTargetEnv } from '../target/environment-credentials.ts';
import { resolveTarget } from '../target/target.ts';

export interface TeardownOptions {
  rootDir: string;
  target: Target;
  /** The preview, `pr-<n>`. */
  environment: string;
  env?: NodeJS.ProcessEnv;
  endpoint?: ApiEndpoint | string;
  progress?: (line: string) => void;
}

/** What a teardown deleted, by kind. */
export interface TeardownResult {
  scripts: string[];
  routes: string[];
  queues: string[];
  kvNamespaces: string[];
  d1Databases: string[];
}

/**
 * Deletes exactly what preview `pr-<n>` created, and nothing else: the scripts carrying its owner
 * tag (`<owner>-pr-<n>`), the routes that point at them, and the data resources named after them by
 * the preview's naming (KV `<script>-<binding>`, D1 databases and queues `<name>-pr-<n>`, see
 * scripts/fleet/environment.ts). Other environments' scripts carry other tags and their resources
 * other names, so they are never read as the preview's.
 */
export async function teardownPreview(options: TeardownOptions): Promise<TeardownResult> {
  const name = options.environment;
  if (!PREVIEW_ENVIRONMENT.test(name)) throw new Error(`teardown deletes a pull request's preview: expected --env pr-<number>, got "${name}"`);
  const fleet = await loadFleet(options.rootDir);
  // Staging's credentials and a checked config, before any API call.
  const staging = await selectEnvironment(fleet, PREVIEW_BASE);
  const env = environmentTargetEnv(staging.environment, options.target, options.env ?? process.env);
  const target = await resolveTarget(options.target, { rootDir: options.rootDir, environment: name, env, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  const client = new CloudflareClient(target.endpoint);
  const progress = options.progress ?? (() => undefined);
  const owner = environmentOwnerTag(fleet.root.gitops.owner, name);
  const scripts = (await listScripts(client, owner)).map((script) => script.id).sort();
  const suffix = environmentResourceName('', name);
  const result: TeardownResult = { scripts, routes: [], queues: [], kvNamespaces: [], d1Databases: [] };

  for (const zone of await listZones(client)) {
    for (const route of await listRoutes(client, zone.id)) {
      if (typeof route.script !== 'string' || !scripts.includes(route.script)) continue;
      await deleteRoute(client, zone.id, route.id);
      result.routes.push(route.pattern);
      progress(`- route ${route.pattern}`);
    }
  }
  for (const script of scripts) {
    await deleteScript(client, script);
    progress(`- script ${script}`);
  }
  for (const queue of await listQueues(client)) {
    if (!queue.queue_name.endsWith(suffix)) continue;
    await deleteQueue(client, queue.queue_id);
    result.queues.push(queue.queue_name);
    progress(`- queue ${queue.queue_name}`);
  }
  for (const namespace of await listKvNamespaces(client)) {
    if (!scripts.some((script) => namespace.title.startsWith(`${script}-`))) continue;
    await deleteKvNamespace(client, namespace.id);
    result.kvNamespaces.push(namespace.title);
    progress(`- KV namespace ${namespace.title}`);
  }
  for (const database of await listD1Databases(client)) {
    if (!database.name.endsWith(suffix)) continue;
    await deleteD1Database(client, database.uuid);
    result.d1Databases.push(database.name);
    progress(`- D1 database ${database.name}`);
  }
  return result;
}
