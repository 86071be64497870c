import { join } from 'node:path';
import type { WorkerOptions } from 'miniflare';
import type { ServiceBundle } from './bundle.ts';
import type { FleetService } from './load.ts';
import { kvNamespaceTitle, d1DatabaseName } from './resource-names.ts';
import { declaredRoutes } from './routes.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * A service's wrangler config as Miniflare worker options: its bundle, vars, KV, D1, R2, queues,
 * service bindings to the other services (by name) and its routes, so one Miniflare can run the
 * whole fleet as `wrangler dev` would run each service. `secrets` come from `.dev.vars`-style input.
 */
export function workerOptions(service: FleetService, bundle: ServiceBundle, secrets: Record<string, string> = {}): WorkerOptions {
  const config = service.config;
  const consumers = config.queues?.consumers ?? [];
  return {
    name: service.name,
    modulesRoot: service.dir,
    modules: bundle.modules
      .filter((module) => module.type === 'esm')
      .map((module) => ({ type: 'ESModule' as const, path: join(service.dir, module.name), contents: module.contents })),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...(config.vars as Record<string, Json> | undefined), ...secrets },
    kvNamespaces: Object.fromEntries((config.kv_namespaces ?? []).map((kv) => [kv.binding, kv.id ?? kvNamespaceTitle(service.name, kv.binding)])),
    d1Databases: Object.fromEntries((config.d1_databases ?? []).map((db) => [db.binding, db.database_id ?? d1DatabaseName(db)])),
    r2Buckets: Object.fromEntries((config.r2_buckets ?? []).map((bucket) => [bucket.binding, bucket.bucket_name])),
    queueProducers: Object.fromEntries((config.queues?.producers ?? []).map((producer) => [producer.binding, { queueName: producer.queue }])),
    queueConsumers: Object.fromEntries(
      consumers.map((consumer) => [
        consumer.queue,
        {
          ...(consumer.max_batch_size !== undefined ? { maxBatchSize: consumer.max_batch_size } : {}),
          ...(consumer.max_batch_timeout !== undefined ? { maxBatchTimeout: consumer.max_batch_timeout } : {}),
          ...(consumer.max_retries !== undefined ? { maxRetries: consumer.max_retries } : {}),
          ...(consumer.dead_letter_queue !== undefined ? { deadLetterQueue: consumer.dead_letter_queue } : {}),
        },
      ]),
    ),
    serviceBindings: Object.fromEntries((config.services ?? []).map((binding) => [binding.binding, binding.service])),
    routes: declaredRoutes(config).map((route) => (route.customDomain ? `${route.pattern}/*` : route.pattern)),
  };
}
