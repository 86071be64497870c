import type { MergedServiceConfig } from '../../fleet/index.ts';
import type { ApiBinding } from '../state/desired.ts';

/**
 * How each binding table of a wrangler config becomes upload-metadata bindings
 * (the shapes wrangler's createWorkerUploadForm sends). A registry, one entry per table.
 */
const BINDING_TABLES: readonly ((config: MergedServiceConfig) => ApiBinding[])[] = [
  (config) =>
    Object.entries(config.vars ?? {}).map(([name, value]) =>
      typeof value === 'string' ? { type: 'plain_text', name, text: value } : { type: 'json', name, json: value },
    ),
  (config) =>
    (config.kv_namespaces ?? []).map((kv) => ({ type: 'kv_namespace', name: kv.binding, namespace_id: kv.id ?? kv.binding })),
  (config) =>
    (config.d1_databases ?? []).map((d1) => ({ type: 'd1', name: d1.binding, id: d1.database_id ?? d1.database_name })),
  (config) => (config.r2_buckets ?? []).map((r2) => ({ type: 'r2_bucket', name: r2.binding, bucket_name: r2.bucket_name })),
  (config) =>
    (config.services ?? []).map((binding) => ({
      type: 'service',
      name: binding.binding,
      service: binding.service,
      ...(binding.environment ? { environment: binding.environment } : {}),
      ...(binding.entrypoint ? { entrypoint: binding.entrypoint } : {}),
    })),
  (config) => (config.queues?.producers ?? []).map((queue) => ({ type: 'queue', name: queue.binding, queue_name: queue.queue })),
];

/** The upload-metadata bindings a service's wrangler config declares (secrets excluded). */
export function configBindings(config: MergedServiceConfig): ApiBinding[] {
  return BINDING_TABLES.flatMap((table) => table(config));
}
