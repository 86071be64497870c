/**
 * What the control plane's KV data operations need from the data plane: one namespace's keys, read
 * and written in the very store the Workers' `kv_namespace` bindings use (Miniflare's KV persist),
 * so what a Worker wrote is what the API reads. The control plane knows only this interface.
 */

/** Seconds since the epoch, as KV's `expiration` is given and shown. */
export type KvExpiration = number;

export interface KvPutOptions {
  expiration?: KvExpiration;
  /** Seconds from now. */
  expirationTtl?: number;
  metadata?: unknown;
}

export interface KvValue {
  value: ArrayBuffer;
  metadata: unknown;
}

export interface KvListedKey {
  name: string;
  expiration?: KvExpiration;
  metadata?: unknown;
}

export interface KvListPage {
  keys: KvListedKey[];
  list_complete: boolean;
  cursor?: string;
}

export interface KvNamespaceStore {
  get(key: string): Promise<KvValue | null>;
  put(key: string, value: ArrayBuffer, options: KvPutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix?: string; limit?: number; cursor?: string }): Promise<KvListPage>;
  /** Many puts (with `value`) and deletes (without) in one go; all are attempted. */
  writeMany(writes: readonly { key: string; value?: ArrayBuffer; options?: KvPutOptions }[]): Promise<void>;
}

/** The namespace's store, or undefined when the data plane does not hold that namespace. */
export type KvStoreLookup = (namespaceId: string) => Promise<KvNamespaceStore | undefined>;
