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
