import type { ServiceBundle } from '../../fleet/index.ts';
import type { CloudflareClient } from '../api/client.ts';
import {
  attachDomain,
  createConsumer,
  createDeployment,
  createQueue,
  createD1Database,
  createKvNamespace,
  createR2Bucket,
  deleteConsumer,
  findQueue,
  updateConsumer,
  createRoute,
  deleteRoute,
  deleteScript,
  detachDomain,
  listDeployments,
  listRoutes,
  patchScriptTags,
  putSchedules,
  putScript,
  updateRoute,
  uploadVersion,
} from '../api/cloudflare.ts';
import { ApiError } from '../api/errors.ts';
import { uploadForm, versionMessage } from '../api/multipart.ts';
import { readSecretValue } from '../config/secret-env.ts';
import type { Action, ActionKind, ActionOf, VersionRef } from '../plan/action.ts';
import { resolveBinding } from '../desired/resource-kinds.ts';
import type { DesiredState, ResourceKind } from '../state/desired.ts';
import type { VersionCache } from '../observe/version-cache.ts';
import type { ResourceIds } from './resource-ids.ts';
import { applyD1Migrations } from './d1-migrations.ts';

export interface ExecutionContext {
  client: CloudflareClient;
  desired: DesiredState;
  bundles: Map<string, ServiceBundle>;
  env: NodeJS.ProcessEnv;
  versionCache?: VersionCache;
  /** Version ids uploaded during this apply, by service. */
  uploaded: Map<string, string>;
  /** KV namespace / D1 database ids by name: created by this apply, or found on the account. */
  resources: ResourceIds;
}

/** A removal whose target is already gone (e.g. a retried DELETE whose first answer was lost) succeeded. */
async function gone(remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return;
    throw error;
  }
}

type Executor<K extends ActionKind> = (action: ActionOf<K>, context: ExecutionContext) => Promise<void>;

async function uploadParts(action: ActionOf<'create-script'> | ActionOf<'upload-version'> | ActionOf<'deploy-migrations'>, context: ExecutionContext) {
  const service = context.desired.services.find((candidate) => candidate.name === action.service);
  const bundle = context.bundles.get(action.service);
  if (!service || !bundle) throw new Error(`${action.service}: not in the desired state any more; re-run plan`);
  if (service.contentHash !== action.hash) {
    throw new Error(`${action.service}: the source changed since the plan was made (sha256:${service.contentHash.slice(0, 12)}, plan sha256:${action.hash.slice(0, 12)}); re-run plan`);
  }
  const secrets: Record<string, string> = {};
  for (const name of action.secrets) {
    const value = readSecretValue(action.service, name, context.env);
    if (value === undefined) throw new Error(`${action.service}: secret ${name} is no longer supplied in the environment`);
    secrets[name] = value;
  }
  // Bindings that name a KV namespace or D1 database get its id now; the content hash covers the name.
  const bindings = await Promise.all(service.metadata.bindings.map((binding) => resolveBinding(binding, (kind, name) => context.resources.idOf(kind, name))));
  return {
    metadata: { ...service.metadata, bindings },
    bundle,
    tags: [context.desired.owner],
    annotations: { 'workers/tag': action.tag, 'workers/message': versionMessage(context.desired.commit, action.hash) },
    secrets,
  };
}

function remember(context: ExecutionContext, service: string, id: string, entry: { number?: number; tag: string; hash: string }): void {
  context.uploaded.set(service, id);
  context.versionCache?.set(`${context.client.apiUrl}|${context.client.accountId}|${service}|${id}`, entry);
}

function versionId(ref: VersionRef, context: ExecutionContext): string {
  if (ref.kind === 'existing') return ref.id;
  const id = context.uploaded.get(ref.service);
  if (!id) throw new Error(`${ref.service}: the version ${ref.tag} this deployment needs was not uploaded`);
  return id;
}

/** Creates a named resource; a retried POST whose first answer was lost finds it already there. */
async function createNamed(kind: ResourceKind, name: string, context: ExecutionContext, create: () => Promise<string>): Promise<void> {
  try {
    context.resources.remember(kind, name, await create());
  } catch (error) {
    if ((await context.resources.find(kind, name, true)) === undefined) throw error;
  }
}

/** How apply performs each action kind: one executor per kind, nothing else decides. */
export const EXECUTORS: { [K in ActionKind]: Executor<K> } = {
  'create-script': async (action, context) => {
    const form = uploadForm({ ...(await uploadParts(action, context)), keepSecrets: false });
    let id = await putScript(context.client, action.service, form);
    id ??= (await listDeployments(context.client, action.service))[0]?.versions[0]?.version_id;
    if (!id) throw new Error(`${action.service}: the upload answered no version id`);
    remember(context, action.service, id, { tag: action.tag, hash: action.hash });
  },
  'upload-version': async (action, context) => {
    const version = await uploadVersion(context.client, action.service, uploadForm({ ...(await uploadParts(action, context)), keepSecrets: true }));
    remember(context, action.service, version.id, { ...(version.number !== undefined ? { number: version.number } : {}), tag: action.tag, hash: action.hash });
  },
  deploy: async (action, context) => {
    const versions = action.versions.map((target) => ({ version_id: versionId(target.version, context), percentage: target.percentage }));
    const tags = action.versions.map((target) => target.version.tag ?? '?').join('+');
    await createDeployment(context.client, action.service, versions, `edgeops ${tags}`);
  },
  'update-settings': async (action, context) => {
    await patchScriptTags(context.client, action.service, action.tags);
  },
  'put-schedules': async (action, context) => {
    await putSchedules(context.client, action.service, action.crons);
  },
  'create-route': async (action, context) => {
    try {
      await createRoute(context.client, action.zoneId, action.pattern, action.service);
    } catch (error) {
      // A retried POST whose first answer was lost finds its own route already there.
      const existing = (await listRoutes(context.client, action.zoneId)).find((route) => route.pattern === action.pattern);
      if (existing?.script !== action.service) throw error;
    }
  },
  'update-route': async (action, context) => {
    await updateRoute(context.client, action.zoneId, action.routeId, action.pattern, action.service);
  },
  'delete-route': async (action, context) => {
    await gone(() => deleteRoute(context.client, action.zoneId, action.routeId));
  },
  'attach-domain': async (action, context) => {
    await attachDomain(context.client, action.hostname, action.service, action.zoneId);
  },
  'detach-domain': async (action, context) => {
    await gone(() => detachDomain(context.client, action.domainId));
  },
  'create-queue': async (action, context) => {
    try {
      await createQueue(context.client, action.queue);
    } catch (error) {
      // A retried POST whose first answer was lost finds its queue already there.
      if (!(await findQueue(context.client, action.queue))) throw error;
    }
  },
  'create-kv-namespace': async (action, context) => {
    await createNamed('kv-namespace', action.title, context, async () => (await createKvNamespace(context.client, action.title)).id);
  },
  'create-d1-database': async (action, context) => {
    await createNamed('d1-database', action.database, context, async () => (await createD1Database(context.client, action.database)).uuid);
  },
  'put-queue-consumer': async (action, context) => {
    const queue = await findQueue(context.client, action.queue);
    if (!queue) throw new Error(`queue ${action.queue} does not exist`);
    const body = {
      type: 'worker' as const,
      script_name: action.service,
      settings: action.settings,
      ...(action.deadLetterQueue ? { dead_letter_queue: action.deadLetterQueue } : {}),
    };
    if (action.consumerId) await updateConsumer(context.client, queue.queue_id, action.consumerId, body);
    else await createConsumer(context.client, queue.queue_id, body);
  },
  'delete-queue-consumer': async (action, context) => {
    await gone(() => deleteConsumer(context.client, action.queueId, action.consumerId));
  },
  'delete-script': async (action, context) => {
    await gone(() => deleteScript(context.client, action.service));
  },
  'apply-d1-migrations': applyD1Migrations,
  'deploy-migrations': async (action, context) => {
    // Migrations go with PUT …/scripts/{s}, never the versions API (as wrangler deploy does them).
    const parts = await uploadParts(action, context);
    const form = uploadForm({ ...parts, metadata: { ...parts.metadata, migrations: action.migrations }, keepSecrets: true });
    let id = await putScript(context.client, action.service, form);
    id ??= (await listDeployments(context.client, action.service))[0]?.versions[0]?.version_id;
    if (!id) throw new Error(`${action.service}: the upload answered no version id`);
    remember(context, action.service, id, { tag: action.tag, hash: action.hash });
  },
  'create-r2-bucket': async (action, context) => {
    await createNamed('r2-bucket', action.bucket, context, async () => (await createR2Bucket(context.client, action.bucket)).name);
  },
};

export function execute(action: Action, context: ExecutionContext): Promise<void> {
  return (EXECUTORS[action.kind] as Executor<typeof action.kind>)(action as never, context);
}
