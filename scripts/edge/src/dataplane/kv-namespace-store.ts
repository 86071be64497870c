/**
 * Miniflare's KV binding proxy (Node side) as the control plane's `KvNamespaceStore`; bulk writes
 * go to the storage worker in one request (see storage-worker.ts).
 */
import type { Miniflare } from 'miniflare';
import type { KvNamespaceStore } from '../kv-store.ts';
import type { StorageWrite } from './storage-worker.ts';

type KvBindingProxy = Awaited<ReturnType<Miniflare['getKVNamespace']>>;
type StorageWorker = Awaited<ReturnType<Miniflare['getWorker']>>;

export function kvNamespaceStore(binding: KvBindingProxy, storage: { worker: StorageWorker; bindingName: string }): KvNamespaceStore {
  return {
    async writeMany(writes) {
      const body: StorageWrite[] = writes.map(({ key, value, options }) => ({
        key,
        ...(value !== undefined ? { value: Buffer.from(value).toString('base64') } : {}),
        ...options,
      }));
      const response = await storage.worker.fetch(`http://storage/${storage.bindingName}`, { method: 'POST', body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`the KV store refused a bulk write: ${await response.text()}`);
    },
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
