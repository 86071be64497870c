/** A Worker script: the account-level object versions, deployments and settings hang off. */
import type { DurableObjectClass } from '../../../cloudflare/durable-object-migrations.ts';

export interface ScheduleRecord {
  cron: string;
  createdOn: string;
  modifiedOn: string;
}

export interface ScriptRecord {
  name: string;
  /** Cloudflare's internal script tag (32 hex chars), shown as `tag` by the services API. */
  tag: string;
  createdOn: string;
  modifiedOn: string;
  tags: string[];
  logpush: boolean;
  tailConsumers: { service: string; environment?: string; namespace?: string }[];
  observability: { enabled: boolean; head_sampling_rate?: number } | null;
  usageModel: 'standard' | 'bundled' | 'unbound';
  /** Who last uploaded: `wrangler` when the User-Agent says so, otherwise `api`. */
  lastDeployedFrom: string;
  workersDev: boolean;
  previewsEnabled: boolean;
  schedules: ScheduleRecord[];
  /** The last Durable Object migration tag applied (`migration_tag` on the script); absent before any. */
  migrationTag?: string;
  /** The Durable Object classes the script implements, after its migrations. */
  durableObjectClasses?: DurableObjectClass[];
}

export const SCRIPT_NAME = /^[a-z0-9_][a-z0-9-_]*$/;
export const MAX_SCRIPT_NAME_LENGTH = 63;
