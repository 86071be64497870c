/**
 * Desired state: what git declares, resolved into what the Cloudflare API needs.
 * Built once from the fleet (see desired/build.ts); the plan only reads it.
 */

import type { QueueConsumerSettings } from '../../cloudflare/queue-consumer.ts';
import type { MigrationConfig, UploadMigrations } from '../../cloudflare/durable-object-migrations.ts';

/** Where a declared value came from, so errors can name the file and key. */
export interface Source {
  file: string;
  key: string;
}

/** One binding as the upload metadata spells it (`metadata.bindings[]`). Secrets never appear here. */
export interface ApiBinding {
  type: string;
  name: string;
  [field: string]: unknown;
}

/** The metadata of a script upload, minus tags/annotations/secrets (added by apply). */
export interface ScriptMetadata {
  main_module: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  bindings: ApiBinding[];
  /** Set by apply only, on a `deploy-migrations` upload: the plan's Durable Object migrations. */
  migrations?: UploadMigrations;
}

export interface DesiredRoute {
  /** Route pattern, e.g. `api.example.com/users*`; for a custom domain, the hostname. */
  pattern: string;
  /** Zone as declared (`zone_name`), if any; otherwise resolved from the pattern's host. */
  zoneName?: string;
  zoneId?: string;
  customDomain: boolean;
  source: Source;
}

/** A `[[queues.consumers]]` entry: this service consumes `queue` (settings as the Queues API spells them). */
export interface DesiredQueueConsumer {
  queue: string;
  settings: QueueConsumerSettings;
  deadLetterQueue?: string;
  source: Source;
}

/**
 * An account-wide resource a binding names without an id (`[[kv_namespaces]]` without `id`,
 * `[[d1_databases]]` without `database_id`, every `[[r2_buckets]]`: a bucket's name is its id):
 * found by name, created when missing, never deleted.
 * The binding in `metadata.bindings` carries the name (see desired/resource-kinds.ts); apply
 * resolves it to the id, so the content hash does not depend on the id.
 */
export interface DesiredResource {
  kind: ResourceKind;
  /** KV: the namespace title wrangler would provision; D1: `database_name`; R2: `bucket_name`. */
  name: string;
  binding: string;
  source: Source;
}

export type ResourceKind = 'kv-namespace' | 'd1-database' | 'r2-bucket';

/** A gradual rollout: the declared version gets `percentage`, the `stable` version the rest. */
export interface DesiredRollout {
  stable: string;
  percentage: number;
  source: Source;
  /** Health-gated: `percentage` is the first of `steps`; `npm run rollout` advances or rolls back. */
  gate?: RolloutGate;
}

export interface RolloutGate {
  steps: number[];
  intervalMs: number;
  maxErrorRate: number;
  minRequests: number;
}

/** One migration file as git holds it (wrangler's layout: cloudflare/d1/migrations.ts). */
export interface DesiredMigration {
  /** The file name, what `d1_migrations.name` records. */
  name: string;
  /** sha256 of the file, recorded when applied; an applied file must keep it. */
  checksum: string;
  /** Repository-relative path, for messages. */
  file: string;
  statements: { sql: string; line: number }[];
}

/** The migrations folder of one `[[d1_databases]]` entry, when it holds any file. */
export interface DesiredD1Migrations {
  /** `database_name`, and `database_id` when git sets it. */
  database: string;
  databaseId?: string;
  binding: string;
  /** wrangler's `migrations_table` (default `d1_migrations`). */
  table: string;
  /** Repository-relative folder (`migrations_dir`, default `migrations` beside the config). */
  dir: string;
  /** In wrangler's order. */
  migrations: DesiredMigration[];
  source: Source;
}

export interface DesiredService {
  name: string;
  /** Declared version (package.json `version`), the `workers/tag` of its Worker version. */
  version: string;
  /** sha256 of the bundle's modules + upload metadata + cron triggers. */
  contentHash: string;
  metadata: ScriptMetadata;
  routes: DesiredRoute[];
  crons: string[];
  /** Secret names the service needs (values come from the environment at apply time). */
  secrets: string[];
  /** Names of secrets whose value is supplied through the environment (see apply/secrets.ts). */
  suppliedSecrets: string[];
  rollout?: DesiredRollout;
  /** Queues this service sends to (`[[queues.producers]]`): they must exist before its upload. */
  producerQueues: string[];
  queueConsumers: DesiredQueueConsumer[];
  /** KV namespaces and D1 databases its bindings name without an id: they must exist before its upload. */
  resources: DesiredResource[];
  /** Services this one binds to (service bindings): they are uploaded first. */
  dependsOn: string[];
  /** D1 migrations its databases declare: applied before its version is uploaded. */
  d1Migrations?: DesiredD1Migrations[];
  source: { config: string; packageJson: string };
  /** wrangler's `[[migrations]]` (Durable Object classes), in order; absent or empty: none. */
  migrations?: MigrationConfig[];
}

export interface DesiredState {
  /** The owner tag every managed script carries (script `tags`). */
  owner: string;
  /** Config switch: prune removed services without --prune. */
  prune: boolean;
  /** Zones the fleet manages routes in (`[gitops] zones`); all account zones when absent. */
  zones?: string[];
  /** Git commit the desired state was read at (informational, goes into `workers/message`). */
  commit: string;
  services: DesiredService[];
}
