/** An immutable uploaded version of a script: its modules (by blob hash), config and bindings. */
import type { SnapshotModule } from '../snapshot.ts';
import type { EdgeState } from './state.ts';

export interface StoredModule {
  name: string;
  type: SnapshotModule['type'];
  /** sha256 of the contents, the blob's file name. */
  hash: string;
  size: number;
}

/** A binding as in upload metadata, minus secret values (those are the version's `secrets`). */
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
  /**
   * The secrets this version runs with: Cloudflare binds secrets to versions, so changing one makes
   * a new version. Absent in state written before secrets were per version (then the script's
   * `secrets.json` entries apply).
   */
  secrets?: VersionSecret[];
}

export interface VersionSecret {
  name: string;
  text: string;
}

/** The secrets `version` runs with (in state from before per-version secrets: the script's). */
export function versionSecrets(state: Readonly<EdgeState>, version: VersionRecord): VersionSecret[] {
  return version.secrets ?? state.secrets.filter((secret) => secret.script === version.script).map(({ name, text }) => ({ name, text }));
}
