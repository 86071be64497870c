/**
 * The data plane's storage worker: serves no traffic; it binds every KV namespace and R2 bucket
 * registered on the account, so the control plane can reach their data through Miniflare's binding
 * proxies (`getKVNamespace`, `getR2Bucket`) in the same persisted store the Workers' bindings use.
 */
import type { WorkerOptions } from 'miniflare';
import type { Snapshot } from '../snapshot.ts';

export const STORAGE_WORKER_NAME = '@edge-storage';
const STORAGE_COMPATIBILITY_DATE = '2025-09-01';
const SCRIPT = `export default { fetch() { return new Response('the edge storage worker serves no requests', { status: 404 }); } };`;

/** The storage worker's binding name for a namespace id. */
export function kvBindingName(namespaceId: string): string {
  return `KV_${namespaceId}`;
}

/** The storage worker's binding name for a bucket (bucket names are `a-z0-9-`, so this is one-to-one). */
export function r2BindingName(bucket: string): string {
  return `R2_${bucket.replaceAll('-', '_')}`;
}

export function storageWorker(snapshot: Snapshot): WorkerOptions {
  return {
    name: STORAGE_WORKER_NAME,
    modules: true,
    script: SCRIPT,
    compatibilityDate: STORAGE_COMPATIBILITY_DATE,
    kvNamespaces: Object.fromEntries(snapshot.kvNamespaces.map((id) => [kvBindingName(id), id])),
    r2Buckets: Object.fromEntries(snapshot.r2Buckets.map((bucket) => [r2BindingName(bucket), bucket])),
  };
}
