/** An immutable uploaded version of a script: its modules (by blob hash), config and bindings. */
import type { SnapshotModule } from '../snapshot.ts';

export interface StoredModule {
  name: string;
  type: SnapshotModule['type'];
  /** sha256 of the contents, the blob's file name. */
  hash: string;
  size: number;
}

/** A binding as in upload metadata, minus secret values (those live in the secrets collection). */
export type StoredBinding = { type: string; name: string } & Record<string, unknown>;

export interface VersionRecord {
  id: string;
  script: string;
  number: number;
  createdOn: string;
  source: string;
  authorEmail: string;
  annotations: Record<string, string>;
  mainModule: string;
  modules: StoredModule[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  bindings: StoredBinding[];
  /** Hash of all module contents, Cloudflare's script `etag`. */
  etag: string;
  handlers: string[];
  startupTimeMs: number;
}
