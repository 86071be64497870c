import * as z from 'zod';

/** Cloudflare's rule for Worker script names. */
export const SCRIPT_NAME = /^[a-z0-9_][a-z0-9-_]*$/;

const binding = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a binding name: letters, digits and _, not starting with a digit');

export const RouteConfig = z.union([
  z.string().min(1),
  z.object({
    pattern: z.string().min(1),
    zone_name: z.string().optional(),
    zone_id: z.string().optional(),
    custom_domain: z.boolean().optional(),
  }),
]);
export type RouteConfig = z.infer<typeof RouteConfig>;

const compatibilityDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/**
 * The keys of a service's `wrangler.toml` that the fleet reads. Everything else wrangler knows is
 * passed through untouched, so the file stays a plain wrangler config.
 */
export const ServiceConfig = z.looseObject({
  name: z.string().regex(SCRIPT_NAME, 'a Worker name: lowercase letters, digits, - and _ (Cloudflare\'s rule ^[a-z0-9_][a-z0-9-_]*$)'),
  main: z.string().min(1),
  compatibility_date: compatibilityDate.optional(),
  compatibility_flags: z.array(z.string()).optional(),
  workers_dev: z.boolean().optional(),
  route: RouteConfig.optional(),
  routes: z.array(RouteConfig).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  services: z.array(z.object({ binding, service: z.string(), entrypoint: z.string().optional(), environment: z.string().optional() })).optional(),
  kv_namespaces: z.array(z.object({ binding, id: z.string().optional(), preview_id: z.string().optional() })).optional(),
  d1_databases: z.array(z.object({ binding, database_name: z.string(), database_id: z.string().optional(), migrations_dir: z.string().optional() })).optional(),
  r2_buckets: z.array(z.object({ binding, bucket_name: z.string() })).optional(),
  queues: z
    .object({
      producers: z.array(z.object({ binding, queue: z.string() })).optional(),
      consumers: z
        .array(
          z.object({
            queue: z.string(),
            max_batch_size: z.number().int().positive().optional(),
            max_batch_timeout: z.number().nonnegative().optional(),
            max_retries: z.number().int().nonnegative().optional(),
            dead_letter_queue: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  triggers: z.object({ crons: z.array(z.string()) }).optional(),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;

/** The root `wrangler.toml`: what every service inherits, plus the fleet's own tables. */
export const RootConfig = z.looseObject({
  compatibility_date: compatibilityDate,
  compatibility_flags: z.array(z.string()).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  /** Settings of the GitOps reconciler; its own schema lives with it (scripts/gitops/config). */
  gitops: z.record(z.string(), z.unknown()).optional(),
});
export type RootConfig = z.infer<typeof RootConfig>;

/** A service's `package.json`: its `version` is the version git declares for the Worker. */
export const ServicePackage = z.looseObject({
  name: z.string(),
  version: z.string(),
});
export type ServicePackage = z.infer<typeof ServicePackage>;
