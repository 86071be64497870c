/**
 * The Workers resource API wrangler 4.1xx reads: `GET /accounts/{a}/workers/workers` (paginated) and
 * `GET …/workers/workers/{worker_id}`, where the id is the Worker's tag or its name (api-schemas
 * `worker-get-worker`; wrangler's `getWorkerSubdomain`, packages/wrangler/src/routes.ts), and
 * `PATCH …/workers/workers/{worker_id}/versions/latest` (`versions secret put`), and
 * `PATCH …/workers/workers/{worker_id}` (a partial update of the Worker's settings). The Worker is
 * the edge's script record seen through the newer shape.
 */
import { LatestVersionPatchSchema, WorkerPatchSchema, type WorkerPatch, type WorkerResource, type WorkerVersion } from '../../../../cloudflare/api/workers.ts';
import type { VersionRecord } from '../../store/versions.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ScriptRecord } from '../../store/scripts.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';
import { jsonBody } from '../validate.ts';
import { addSecretVersion, newestVersion } from '../version-secrets.ts';
import { requestSource } from './request-source.ts';

export function workerResource(script: ScriptRecord): WorkerResource {
  return {
    id: script.tag,
    name: script.name,
    created_on: script.createdOn,
    updated_on: script.modifiedOn,
    logpush: script.logpush,
    observability: script.observability ?? { enabled: false },
    subdomain: { enabled: script.workersDev, previews_enabled: script.previewsEnabled },
    tags: script.tags,
    tail_consumers: script.tailConsumers.map((consumer) => ({ name: consumer.service })),
  };
}

export function workerVersion(version: VersionRecord): WorkerVersion {
  return {
    id: version.id,
    number: version.number,
    created_on: version.createdOn,
    source: version.source,
    main_module: version.mainModule,
    compatibility_date: version.compatibilityDate,
    compatibility_flags: version.compatibilityFlags,
    annotations: version.annotations,
    startup_time_ms: version.startupTimeMs,
  };
}

/** `{worker_id}` is the Worker's id (its tag) or its name. */
export function requireWorker(state: Readonly<EdgeState>, idOrName: string): ScriptRecord {
  return state.scripts.find((script) => script.tag === idOrName || script.name === idOrName) ?? fail('scriptNotFound', `This Worker does not exist on your account. [worker: ${idOrName}]`);
}

export function registerWorkers(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/workers', (c) => {
    const { page, info } = paginate(store.state.scripts, { page: c.req.query('page'), perPage: c.req.query('per_page') }, { defaultPerPage: 50, maxPerPage: 100 });
    return ok(c, page.map(workerResource), info);
  });

  app.get('/accounts/:account_id/workers/workers/:worker_id', (c) => ok(c, workerResource(requireWorker(store.state, c.req.param('worker_id')))));

  app.patch('/accounts/:account_id/workers/workers/:worker_id', jsonBody(WorkerPatchSchema), async (c) => {
    const patch = c.req.valid('json');
    const script = await store.transaction((draft) => {
      const record = requireWorker(draft, c.req.param('worker_id'));
      applyWorkerPatch(record, patch);
      return record;
    });
    return ok(c, workerResource(script));
  });

  app.patch('/accounts/:account_id/workers/workers/:worker_id/versions/latest', jsonBody(LatestVersionPatchSchema), async (c) => {
    const { env, annotations } = c.req.valid('json');
    const source = requestSource(c);
    const version = await store.transaction((draft) => {
      const script = requireWorker(draft, c.req.param('worker_id'));
      const base = newestVersion(draft, script.name);
      const taken = Object.keys(env).filter((name) => base.bindings.some((binding) => binding.name === name));
      if (taken.length > 0) fail('validation', `env ${taken.join(', ')}: already in use by a non-secret binding of ${script.name}`);
      const changes = Object.fromEntries(Object.entries(env).map(([name, binding]) => [name, binding === null ? null : binding.text]));
      return addSecretVersion(draft, base, changes, { source, ...(annotations ? { annotations: stripUndefined(annotations) } : {}) });
    });
    return ok(c, workerVersion(version));
  });
}

/**
 * Applies a Worker PATCH to its script record. Refused (10021, nothing changed): a new `name` (the
 * local edge does not rename Workers: routes, domains, bindings and secrets name them) and the
 * Worker Previews settings (`preview_defaults`, `previews_base_config`: the edge serves no preview URLs).
 */
function applyWorkerPatch(record: ScriptRecord, patch: WorkerPatch): void {
  if (patch.name !== undefined && patch.name !== record.name) {
    fail('validation', `name: the local edge does not rename Workers ("${record.name}" → "${patch.name}"); deploy it under the new name and delete the old one`);
  }
  const previews = (['preview_defaults', 'previews_base_config'] as const).filter((key) => patch[key] !== undefined);
  if (previews.length > 0) fail('validation', `${previews.join(', ')}: Worker Previews are not offered by the local edge (it serves no preview URLs)`);
  if (patch.logpush !== undefined) record.logpush = patch.logpush;
  if (patch.observability !== undefined) record.observability = patch.observability;
  if (patch.tags !== undefined) record.tags = [...new Set(patch.tags)];
  if (patch.tail_consumers !== undefined) record.tailConsumers = patch.tail_consumers.map((consumer) => ({ service: consumer.name }));
  if (patch.subdomain?.enabled !== undefined) record.workersDev = patch.subdomain.enabled;
  if (patch.subdomain?.previews_enabled !== undefined) record.previewsEnabled = patch.subdomain.previews_enabled;
}

function stripUndefined(record: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
