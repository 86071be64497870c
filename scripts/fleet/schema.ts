import * as z from 'zod';
import { CompatibilityDate, CompatibilityFlag } from '../cloudflare/compatibility.ts';
import { GitopsTable } from '../cloudflare/gitops-settings.ts';
import { EnvironmentsTable } from '../cloudflare/environments.ts';
import { QueueConsumerConfig } from '../cloudflare/queue-consumer.ts';
import { D1DatabaseConfig, KvNamespaceConfig, QueueProducerConfig, R2BucketConfig, ServiceBindingConfig, VarsConfig } from '../cloudflare/bindings/config.ts';
import { DurableObjectBindingConfig } from '../cloudflare/bindings/config.ts';
import { MigrationConfig } from '../cloudflare/durable-object-migrations.ts';

/** Cloudflare's rule for Worker script names. */
export const SCRIPT_NAME = /^[a-z0-9_][a-z0-9-_]*$/;

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

const compatibilityDate = CompatibilityDate;

/**
 * The keys of a service's `wrangler.toml` that the fleet reads. Everything else wrangler knows is
 * passed through untouched, so the file stays a plain wrangler config.
 */
export const ServiceConfig = z.looseObject({
  name: z.string().regex(SCRIPT_NAME, 'a Worker name: lowercase letters, digits, - and _ (Cloudflare\'s rule ^[a-z0-9_][a-z0-9-_]*$)'),
  main: z.string().min(1),
  compatibility_date: compatibilityDate.optional(),
  compatibility_flags: z.array(CompatibilityFlag).optional(),
  workers_dev: z.boolean().optional(),
  route: RouteConfig.optional(),
  routes: z.array(RouteConfig).optional(),
  vars: VarsConfig.optional(),
  services: z.array(ServiceBindingConfig).optional(),
  kv_namespaces: z.array(KvNamespaceConfig).optional(),
  d1_databases: z.array(D1DatabaseConfig).optional(),
  r2_buckets: z.array(R2BucketConfig).optional(),
  queues: z
    .object({
      producers: z.array(QueueProducerConfig).optional(),
      consumers: z.array(QueueConsumerConfig).optional(),
    })
    .optional(),
  triggers: z.object({ crons: z.array(z.string()) }).optional(),
  durable_objects: z.object({ bindings: z.array(DurableObjectBindingConfig).optional() }).optional(),
  migrations: z.array(MigrationConfig).optional(),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;

/** The root `wrangler.toml`: what every service inherits, plus the fleet's own tables. */
export const RootConfig = z.looseObject({
  compatibility_date: compatibilityDate,
  compatibility_flags: z.array(CompatibilityFlag).optional(),
  vars: VarsConfig.optional(),
  /** The fleet's `[gitops]` settings (owner, prune, concurrency, zones), defaults filled in. */
  gitops: GitopsTable,
  /** The fleet's named environments (`[env.<name>]`): host mapping, vars, credentials, prune. */
  env: EnvironmentsTable,
});
export type RootConfig = z.infer<typeof RootConfig>;

/** A service's `package.json`: its `version` is the version git declares for the Worker. */
export const ServicePackage = z.looseObject({
  name: z.string(),
  version: z.string(),
});
export type ServicePackage = z.infer<typeof ServicePackage>;
