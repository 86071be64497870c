import { d1DatabaseName, kvNamespaceTitle, type MergedServiceConfig } from '../../fleet/index.ts';
import type { ApiBinding, DesiredResource } from '../state/desired.ts';

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
    (config.kv_namespaces ?? []).map((kv) =>
      kv.id !== undefined
        ? { type: 'kv_namespace', name: kv.binding, namespace_id: kv.id }
        : { type: 'kv_namespace', name: kv.binding, namespace_title: kvNamespaceTitle(config.name, kv.binding) },
    ),
  (config) =>
    (config.d1_databases ?? []).map((d1) =>
      d1.database_id !== undefined ? { type: 'd1', name: d1.binding, id: d1.database_id } : { type: 'd1', name: d1.binding, database_name: d1DatabaseName(d1) },
    ),
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

/**
 * The upload-metadata bindings a service's wrangler config declares (secrets excluded). A KV or D1
 * binding without an id names its resource instead (`namespace_title` / `database_name`, see
 * desired/resource-kinds.ts); apply swaps the name for the id.
 */
export function configBindings(config: MergedServiceConfig): ApiBinding[] {
  return BINDING_TABLES.flatMap((table) => table(config));
}

/** The KV namespaces and D1 databases a service's bindings name without an id. */
export function configResources(config: MergedServiceConfig, file: string): DesiredResource[] {
  const kv = (config.kv_namespaces ?? []).flatMap((namespace, index): DesiredResource[] =>
    namespace.id === undefined ? [{ kind: 'kv-namespace', name: kvNamespaceTitle(config.name, namespace.binding), binding: namespace.binding, source: { file, key: `kv_namespaces.${index}` } }] : [],
  );
  const d1 = (config.d1_databases ?? []).flatMap((database, index): DesiredResource[] =>
    database.database_id === undefined ? [{ kind: 'd1-database', name: d1DatabaseName(database), binding: database.binding, source: { file, key: `d1_databases.${index}` } }] : [],
  );
  return [...kv, ...d1];
}
