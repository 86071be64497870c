/**
 * What the data plane serves: a complete, immutable picture of the account, built by the control
 * plane from its state after every change and handed to the data plane whole. The data plane never
 * reads the control plane's store; the control plane never touches Miniflare.
 */

/** One module of an uploaded version, as it came in the multipart upload. */
export interface SnapshotModule {
  /** The part's file name, e.g. `index.js`; `main_module` names one of these. */
  name: string;
  /** `esm` for `application/javascript+module`, `commonjs`, `text`, `data`, `compiled-wasm`, `source-map`. */
  type: 'esm' | 'commonjs' | 'text' | 'data' | 'compiled-wasm' | 'source-map';
  contents: Uint8Array;
}

/**
 * A binding as it appears in Cloudflare's upload metadata (`metadata.bindings[]`). Secret values
 * are present here (the data plane needs them) but never leave the edge through the API.
 */
export type SnapshotBinding =
  | { type: 'plain_text'; name: string; text: string }
  | { type: 'secret_text'; name: string; text: string }
  | { type: 'json'; name: string; json: unknown }
  | { type: 'kv_namespace'; name: string; namespace_id: string }
  | { type: 'd1'; name: string; id: string }
  | { type: 'r2_bucket'; name: string; bucket_name: string }
  | { type: 'queue'; name: string; queue_name: string }
  | { type: 'service'; name: string; service: string; environment?: string; entrypoint?: string };

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
  maxBatchSize?: number;
  maxBatchTimeoutSeconds?: number;
  maxRetries?: number;
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
}
