import type { KvNamespaceStore } from '../kv-store.ts';
import type { Snapshot } from '../snapshot.ts';
import type { D1Handle } from './d1-access.ts';
import type { InvocationLog } from '../analytics/invocation-log.ts';

export interface DataPlaneOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** KV, D1, R2, queue and cache data live here, so a restart keeps them. */
  persistDir: string;
  /** When given, every version worker is tailed and its invocations recorded here (analytics, logs). */
  invocations?: InvocationLog;
  /** Pass workerd's stdout through (default); off when the edge's log prints Workers' output. */
  echoRuntimeStdout?: boolean;
  /** Version Workers one workerd (shard, shard-plan.ts) takes when scripts are placed; default 16. */
  shardCap?: number;
}

export interface DataPlane {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Serves this snapshot from now on; rejects (and keeps serving the previous one) when a worker fails to start. */
  apply(snapshot: Snapshot): Promise<void>;
  /** Runs the scheduled handler of the script's current deployment. */
  scheduled(script: string, cron: string): Promise<void>;
  /** A registered KV namespace's keys, in the store Workers' bindings use; undefined when the served snapshot has no such namespace. */
  kvNamespace(namespaceId: string): Promise<KvNamespaceStore | undefined>;
  /** Whether a registered bucket holds any object; undefined when the served snapshot has no such bucket. */
  r2BucketHasObjects(bucket: string): Promise<boolean | undefined>;
  dispose(): Promise<void>;
  /** The D1 database with this id, as Workers bound to it see it; undefined when the account has none such. */
  d1Database(databaseId: string): Promise<D1Handle | undefined>;
}
