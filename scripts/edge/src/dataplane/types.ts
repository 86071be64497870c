import type { Snapshot } from '../snapshot.ts';
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
}

export interface DataPlane {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Serves this snapshot from now on; rejects (and keeps serving the previous one) when a worker fails to start. */
  apply(snapshot: Snapshot): Promise<void>;
  /** Runs the scheduled handler of the script's current deployment. */
  scheduled(script: string, cron: string): Promise<void>;
  dispose(): Promise<void>;
}
