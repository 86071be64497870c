/** A Workers KV namespace registered through the API (`POST …/storage/kv/namespaces`). */
export interface KvNamespaceRecord {
  /** 32-hex namespace id: what a `kv_namespace` binding names and the data plane stores data under. */
  id: string;
  /** Unique per account (Cloudflare refuses a second namespace with the same title). */
  title: string;
  supports_url_encoding: boolean;
  created_on: string;
}
