/**
 * The Workers resource API wrangler 4.1xx reads: `GET /accounts/{a}/workers/workers` (paginated) and
 * `GET …/workers/workers/{worker_id}`, where the id is the Worker's tag or its name (api-schemas
 * `worker-get-worker`; wrangler's `getWorkerSubdomain`, packages/wrangler/src/routes.ts). The
 * Worker is the edge's script record seen through the newer shape.
 */
import type { WorkerResource } from '../../../../cloudflare/api/workers.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ScriptRecord } from '../../store/scripts.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';

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
}
