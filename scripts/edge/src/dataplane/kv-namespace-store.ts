/** Miniflare's KV binding proxy (Node side) as the control plane's `KvNamespaceStore`. */
import type { Miniflare } from 'miniflare';
import type { KvNamespaceStore } from '../kv-store.ts';

type KvBindingProxy = Awaited<ReturnType<Miniflare['getKVNamespace']>>;

export function kvNamespaceStore(binding: KvBindingProxy): KvNamespaceStore {
  return {
    async get(key) {
      const { value, metadata } = await binding.getWithMetadata(key, 'arrayBuffer');
      return value === null ? null : { value, metadata };
    },
    async put(key, value, options) {
      await binding.put(key, value, {
        ...(options.expiration !== undefined ? { expiration: options.expiration } : {}),
        ...(options.expirationTtl !== undefined ? { expirationTtl: options.expirationTtl } : {}),
        ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
      });
    },
    async delete(key) {
      await binding.delete(key);
    },
    async list(options) {
      const page = await binding.list(options);
      return {
        keys: page.keys.map((key) => ({ name: key.name, ...(key.expiration !== undefined ? { expiration: key.expiration } : {}), ...(key.metadata !== undefined ? { metadata: key.metadata } : {}) })),
        list_complete: page.list_complete,
        ...('cursor' in page && page.cursor !== undefined ? { cursor: page.cursor } : {}),
      };
    },
  };
}
