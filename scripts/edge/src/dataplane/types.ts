import type { Snapshot } from '../snapshot.ts';
import type { D1Handle } from './d1-access.ts';

export interface DataPlaneOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** KV, D1, R2, queue and cache data live here, so a restart keeps them. */
  persistDir: string;
}

export interface DataPlane {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Serves this snapshot from now on; rejects (and keeps serving the previous one) when a worker fails to start. */
  apply(snapshot: Snapshot): Promise<void>;
  /** Runs the scheduled handler of the script's current deployment. */
  scheduled(script: string, cron: string): Promise<void>;
  dispose(): Promise<void>;
  /** The D1 database with this id, as Workers bound to it see it; undefined when the account has none such. */
  d1Database(databaseId: string): Promise<D1Handle | undefined>;
}
