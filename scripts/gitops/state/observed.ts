import * as z from 'zod';

/**
 * Observed state: what the account holds, as read through the Cloudflare API (observe/observe.ts).
 * Only plain data, sorted, so it can be fingerprinted (plan/fingerprint.ts).
 */

import type { QueueConsumerSettings } from '../../cloudflare/queue-consumer.ts';

export interface ObservedVersion {
  id: string;
  number?: number;
  /** `workers/tag` annotation (our declared version), if any. */
  tag?: string;
  /** Content hash parsed from `workers/message` (`… sha256:<hex>`), if any. */
  hash?: string;
}

export interface ObservedDeploymentEntry {
  versionId: string;
  percentage: number;
}

export interface ObservedScript {
  name: string;
  /** The current deployment (the first one serving traffic); empty if none. */
  deployment: ObservedDeploymentEntry[];
  /** Versions we know about: those deployed and, when looked up, the uploaded history. */
  versions: ObservedVersion[];
  /** True when the full version history was listed (needed for rollback/rollout lookups). */
  historyListed: boolean;
  /** Cron expressions, when they were read (undefined = not read). */
  schedules?: string[];
  /** Secret names, when they were read (undefined = not read). */
  secrets?: string[];
  /** The script's Durable Object `migration_tag`, if any migration was applied. */
  migrationTag?: string;
  /** The current deployment's `workers/message` annotation and creation time (health-gated rollouts read them). */
  deploymentMessage?: string;
  deployedOn?: string;
}

export interface ObservedRoute {
  id: string;
  zoneId: string;
  pattern: string;
  /** Script the route points to; undefined for a route that disables Workers on the pattern. */
  script?: string;
}

export interface ObservedDomain {
  id: string;
  hostname: string;
  service: string;
  zoneId?: string;
}

export interface ObservedQueueConsumer {
  id: string;
  type: string;
  /** The consuming Worker (worker consumers). */
  script?: string;
  settings: QueueConsumerSettings;
  deadLetterQueue?: string;
}

export interface ObservedQueue {
  id: string;
  name: string;
  consumers: ObservedQueueConsumer[];
}

/** A KV namespace (`id`, `title`) or D1 database (`id` = uuid, `title` = name) on the account. */
export interface ObservedResource {
  id: string;
  name: string;
}

export interface ObservedZone {
  id: string;
  name: string;
}

/** A migration a D1 database records as applied: wrangler's row, and edgeops' checksum when edgeops applied it. */
export interface ObservedMigration {
  name: string;
  sha256?: string;
}

/** The applied migrations of one D1 database's migrations table (read through the D1 query API). */
export interface ObservedD1Migrations {
  databaseId: string;
  table: string;
  /** In order of application (`id`); empty when the table does not exist yet. */
  applied: ObservedMigration[];
}

export interface ObservedState {
  accountId: string;
  /** Scripts carrying the owner tag. */
  scripts: ObservedScript[];
  /** Names of scripts on the account that do NOT carry the owner tag (never touched). */
  foreignScripts: string[];
  zones: ObservedZone[];
  routes: ObservedRoute[];
  domains: ObservedDomain[];
  queues: ObservedQueue[];
  /** Every KV namespace of the account (id, title), sorted by title. */
  kvNamespaces: ObservedResource[];
  /** Every D1 database of the account (uuid, name), sorted by name. */
  d1Databases: ObservedResource[];
  /** Applied migrations of the databases whose migrations git declares, sorted by database id and table. */
  d1Migrations?: ObservedD1Migrations[];
  /** Every R2 bucket of the account (its name is its id), sorted by name. */
  r2Buckets: ObservedResource[];
}

/** What observe was asked to read beyond the constant set, so a saved plan can be re-observed alike. */
export const observeScopeSchema = z.object({
  schedulesFor: z.array(z.string()),
  secretsFor: z.array(z.string()),
  historyFor: z.array(z.string()),
});
export type ObserveScope = z.infer<typeof observeScopeSchema>;
