/**
 * The whole control-plane state and the registry of its collections: each concept is persisted in
 * its own JSON file under `<stateDir>/state/`, so one change rewrites only the files it touched.
 */
import type { AccountRecord } from './account.ts';
import type { D1DatabaseRecord } from './d1-databases.ts';
import type { DeploymentRecord } from './deployments.ts';
import type { DomainRecord } from './domains.ts';
import type { KvNamespaceRecord } from './kv-namespaces.ts';
import type { QueueRecord } from './queues.ts';
import type { R2BucketRecord } from './r2-buckets.ts';
import type { RouteRecord } from './routes.ts';
import type { ScriptRecord } from './scripts.ts';
import type { SecretRecord } from './secrets.ts';
import type { VersionRecord } from './versions.ts';
import type { ZoneRecord } from './zones.ts';

export interface EdgeState {
  account: AccountRecord;
  zones: ZoneRecord[];
  scripts: ScriptRecord[];
  versions: VersionRecord[];
  deployments: DeploymentRecord[];
  routes: RouteRecord[];
  domains: DomainRecord[];
  secrets: SecretRecord[];
  queues: QueueRecord[];
  kvNamespaces: KvNamespaceRecord[];
  d1Databases: D1DatabaseRecord[];
  r2Buckets: R2BucketRecord[];
}

export type CollectionName = keyof EdgeState;

/** File name of each collection; adding a concept means adding it here and to `EdgeState`. */
export const COLLECTION_FILES: { readonly [K in CollectionName]: string } = {
  account: 'account.json',
  zones: 'zones.json',
  scripts: 'scripts.json',
  versions: 'versions.json',
  deployments: 'deployments.json',
  routes: 'routes.json',
  domains: 'domains.json',
  secrets: 'secrets.json',
  queues: 'queues.json',
  kvNamespaces: 'kv-namespaces.json',
  d1Databases: 'd1-databases.json',
  r2Buckets: 'r2-buckets.json',
};

export const COLLECTION_NAMES = Object.keys(COLLECTION_FILES) as CollectionName[];
