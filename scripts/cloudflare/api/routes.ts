/**
 * Workers routes, as Cloudflare's API shows and takes them (api-schemas operations
 * `worker-routes-create-route`, `worker-routes-list-routes`, `worker-routes-update-route`,
 * `worker-routes-delete-route`; the script-level `PUT /accounts/{a}/workers/scripts/{s}/routes`
 * wrangler sends is in wrangler's `src/deploy/deploy.ts`).
 */
import * as z from 'zod';

/** `POST /zones/{z}/workers/routes` and `PUT …/routes/{route_id}`; `script` empty or null: no Worker. */
export const RouteBodySchema = z.object({
  pattern: z.string(),
  script: z.string().nullish(),
});
export type RouteBody = z.infer<typeof RouteBodySchema>;

/** `PUT /accounts/{a}/workers/scripts/{s}/routes`: the script's routes, replacing what it had. */
export const ScriptRoutesBodySchema = z.array(
  z.object({
    pattern: z.string(),
    zone_id: z.string().optional(),
    zone_name: z.string().optional(),
    custom_domain: z.boolean().optional(),
  }),
);

export const RouteSchema = z.object({
  id: z.string(),
  pattern: z.string(),
  script: z.string().nullish(),
});
export type Route = z.infer<typeof RouteSchema>;
