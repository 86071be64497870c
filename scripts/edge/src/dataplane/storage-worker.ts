/**
 * The data plane's storage worker: serves no traffic; it binds every KV namespace and R2 bucket
 * registered on the account, so the control plane can reach their data through Miniflare's binding
 * proxies (`getKVNamespace`, `getR2Bucket`) in the same persisted store the Workers' bindings use.
 * Bulk KV writes skip the proxy's one round trip per key: `POST /<binding>` with a JSON array of
 * `StorageWrite`s applies them all inside workerd.
 */
import type { WorkerOptions } from 'miniflare';
import type { Snapshot } from '../snapshot.ts';

export const STORAGE_WORKER_NAME = '@edge-storage';
const STORAGE_COMPATIBILITY_DATE = '2025-09-01';

/** One write of a bulk request: a put (`value`, base64) or, without `value`, a delete. */
export interface StorageWrite {
  key: string;
  value?: string;
  expiration?: number;
  expirationTtl?: number;
  metadata?: unknown;
}

const SCRIPT = `
const bytes = (base64) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
export default {
  async fetch(request, env) {
    const binding = env[new URL(request.url).pathname.slice(1)];
    if (request.method !== 'POST' || binding === undefined) return new Response('unknown binding', { status: 404 });
    const writes = await request.json();
    try {
      await Promise.all(writes.map(({ key, value, ...options }) => (value === undefined ? binding.delete(key) : binding.put(key, bytes(value), options))));
    } catch (error) {
      return new Response(String(error && error.message ? error.message : error), { status: 400 });
    }
    return new Response(null, { status: 204 });
  },
};
`;

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
