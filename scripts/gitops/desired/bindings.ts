import { uploadBindingsOf } from '../../cloudflare/bindings/index.ts';
import { d1DatabaseName, kvNamespaceTitle } from '../../cloudflare/resource-names.ts';
import type { MergedServiceConfig } from '../../fleet/index.ts';
import type { ApiBinding, DesiredResource } from '../state/desired.ts';

/**
 * The upload-metadata bindings a service's wrangler config declares (secrets excluded), by the
 * platform's one mapping (scripts/cloudflare/bindings). A KV or D1 binding without an id names its
 * resource instead (`namespace_title` / `database_name`, see desired/resource-kinds.ts); apply
 * swaps the name for the id.
 */
export function configBindings(config: MergedServiceConfig): ApiBinding[] {
  return uploadBindingsOf(config);
}

/** The KV namespaces and D1 databases a service's bindings name without an id, and the R2 buckets they name. */
export function configResources(config: MergedServiceConfig, file: string): DesiredResource[] {
  const kv = (config.kv_namespaces ?? []).flatMap((namespace, index): DesiredResource[] =>
    namespace.id === undefined ? [{ kind: 'kv-namespace', name: kvNamespaceTitle(config.name, namespace.binding), binding: namespace.binding, source: { file, key: `kv_namespaces.${index}` } }] : [],
  );
  const d1 = (config.d1_databases ?? []).flatMap((database, index): DesiredResource[] =>
    database.database_id === undefined ? [{ kind: 'd1-database', name: d1DatabaseName(database), binding: database.binding, source: { file, key: `d1_databases.${index}` } }] : [],
  );
  // A bucket is named by `bucket_name` for good (no id): every binding names its bucket.
  const r2 = (config.r2_buckets ?? []).map((bucket, index): DesiredResource => ({ kind: 'r2-bucket', name: bucket.bucket_name, binding: bucket.binding, source: { file, key: `r2_buckets.${index}` } }));
  return [...kv, ...d1, ...r2];
}
