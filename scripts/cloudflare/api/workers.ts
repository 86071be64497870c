/**
 * The Workers resource API (`/accounts/{a}/workers/workers/…`, "Workers beta" in Cloudflare's SDKs):
 * a Worker as one object with its workers.dev subdomain, observability and tags. Shapes from
 * cloudflare/api-schemas (`/accounts/{account_id}/workers/workers/{worker_id}`), as generated into
 * the official SDKs (cloudflare-python `src/cloudflare/types/workers/beta/worker.py`). wrangler 4.164
 * reads it on every deploy (`getWorkerSubdomain` in packages/wrangler/src/routes.ts of
 * cloudflare/workers-sdk: `GET /accounts/{a}/workers/workers/{name}` → `result.subdomain`).
 */
import * as z from 'zod';

export const WorkerSubdomainSchema = z.object({
  enabled: z.boolean(),
  previews_enabled: z.boolean(),
});

export const WorkerResourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  created_on: z.string(),
  updated_on: z.string(),
  logpush: z.boolean(),
  observability: z.object({ enabled: z.boolean(), head_sampling_rate: z.number().optional() }),
  subdomain: WorkerSubdomainSchema,
  tags: z.array(z.string()),
  tail_consumers: z.array(z.object({ name: z.string() })),
});
export type WorkerResource = z.infer<typeof WorkerResourceSchema>;

/**
 * `PATCH /accounts/{a}/workers/workers/{worker_id}/versions/latest` (JSON merge patch): a new
 * version from the newest one with `env` entries set (or removed with `null`), not deployed.
 * wrangler 4.164's `versions secret put/delete/bulk` send it (`patchLatestWorkerVersionWithSecrets`
 * in packages/wrangler/src/versions/secrets/index.ts); the edge accepts secrets in `env`.
 */
export const LatestVersionPatchSchema = z.object({
  env: z.record(z.string(), z.union([z.object({ type: z.literal('secret_text'), text: z.string() }), z.null()])).default({}),
  annotations: z.object({ 'workers/message': z.string().optional(), 'workers/tag': z.string().optional() }).optional(),
});

/** A version as the Workers resource API answers it (cloudflare-python `types/workers/beta/workers/version.py`). */
export const WorkerVersionSchema = z.object({
  id: z.string(),
  number: z.number(),
  created_on: z.string(),
  source: z.string(),
  main_module: z.string(),
  compatibility_date: z.string(),
  compatibility_flags: z.array(z.string()),
  annotations: z.record(z.string(), z.string()),
  startup_time_ms: z.number(),
});
export type WorkerVersion = z.infer<typeof WorkerVersionSchema>;

/**
 * `PATCH /accounts/{a}/workers/workers/{worker_id}` (operation `editWorker`): a partial update, the
 * properties left out keep their values. Body as Cloudflare's SDKs generate it from the API schema
 * (`client.workers.beta.workers.edit`: `name`, `logpush`, `observability`, `subdomain {enabled,
 * previews_enabled}`, `tags`, `tail_consumers`); answered with the Worker. wrangler's preview
 * commands PATCH it with `preview_defaults` / `previews_base_config`
 * (packages/deploy-helpers/src/preview/api.ts in cloudflare/workers-sdk), which the edge refuses.
 */
export const WorkerPatchSchema = z.object({
  name: z.string().min(1).optional(),
  logpush: z.boolean().optional(),
  observability: z.object({ enabled: z.boolean(), head_sampling_rate: z.number().min(0).max(1).optional() }).optional(),
  subdomain: z.object({ enabled: z.boolean().optional(), previews_enabled: z.boolean().optional() }).optional(),
  tags: z.array(z.string()).optional(),
  tail_consumers: z.array(z.object({ name: z.string().min(1) })).optional(),
  preview_defaults: z.unknown().optional(),
  previews_base_config: z.unknown().optional(),
});
export type WorkerPatch = z.infer<typeof WorkerPatchSchema>;
