/**
 * What the data plane serves: a complete, immutable picture of the account, built by the control
 * plane from its state after every change and handed to the data plane whole. The data plane never
 * reads the control plane's store; the control plane never touches Miniflare.
 */

import type { UploadBinding } from '../../cloudflare/bindings/index.ts';
import type { QueueConsumerSettings } from '../../cloudflare/queue-consumer.ts';
import type { DurableObjectClass } from '../../cloudflare/durable-object-migrations.ts';

/** One module of an uploaded version, as it came in the multipart upload. */
export interface SnapshotModule {
  /** The part's file name, e.g. `index.js`; `main_module` names one of these. */
  name: string;
  /** `esm` for `application/javascript+module`, `commonjs`, `text`, `data`, `compiled-wasm`, `source-map`. */
  type: 'esm' | 'commonjs' | 'text' | 'data' | 'compiled-wasm' | 'source-map';
  contents: Uint8Array;
}

/**
 * A binding as it appears in Cloudflare's upload metadata (`metadata.bindings[]`, the platform's
 * one definition). Secret values are present here (the data plane needs them) but never leave the
 * edge through the API.
 */
export type SnapshotBinding = UploadBinding;

export interface SnapshotVersion {
  id: string;
  /** Share of the script's traffic, 0–100; the versions of one script sum to 100. */
  percentage: number;
  mainModule: string;
  modules: SnapshotModule[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  bindings: SnapshotBinding[];
}

export interface SnapshotScript {
  name: string;
  /** The versions of the script's current deployment (one or two). */
  versions: SnapshotVersion[];
  /** Cron expressions from `…/schedules`. */
  schedules: string[];
  /** Whether `<name>.<subdomain>.workers.dev` serves this script. */
  workersDev: boolean;
  /** The Durable Object classes the script implements (its primary version hosts them). */
  durableObjects: DurableObjectClass[];
}

export interface SnapshotRoute {
  zoneName: string;
  pattern: string;
  /** Absent: the route negates (requests matching it are not sent to any Worker). */
  script?: string;
}

export interface SnapshotCustomDomain {
  hostname: string;
  script: string;
}

export interface SnapshotQueueConsumer {
  queueName: string;
  script: string;
  /** As the Queues API spells them (`max_wait_time_ms` in milliseconds). */
  settings: QueueConsumerSettings;
  deadLetterQueue?: string;
}

export interface Snapshot {
  accountId: string;
  /** The account's workers.dev subdomain, e.g. `edgeops` for `<script>.edgeops.workers.dev`. */
  subdomain: string;
  /** Only scripts with a current deployment appear here. */
  scripts: SnapshotScript[];
  routes: SnapshotRoute[];
  customDomains: SnapshotCustomDomain[];
  queueConsumers: SnapshotQueueConsumer[];
  /** Ids of the account's registered D1 databases: the control plane's query API reaches these. */
  d1Databases?: string[];
  /** Ids of the account's registered KV namespaces: the API's KV data operations reach these. */
  kvNamespaces: string[];
  /** Names of the account's registered R2 buckets: the API checks a bucket is empty before deleting it. */
  r2Buckets: string[];
}
