/** What every operation module gets: the store, and the data plane's KV namespaces and R2 buckets (their data). */
import type { Hono } from 'hono';
import type { KvStoreLookup } from '../kv-store.ts';
import type { R2ObjectsLookup } from '../r2-objects.ts';
import type { Store } from '../store/store.ts';
import type { InvocationLog } from '../analytics/invocation-log.ts';
import type { TailSessions } from '../tail/tail-sessions.ts';

/** A prepared D1 statement, as the Workers runtime's `D1PreparedStatement` has it (the part the API uses). */
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
}

/** A D1 database, as the Workers runtime's `D1Database` has it (the part the API uses): `batch` runs atomically. */
export interface D1Session {
  prepare(sql: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown[]>;
}

/** The data plane's D1 databases by id (the query API's storage); absent when no data plane runs. */
export interface D1Access {
  database(databaseId: string): Promise<D1Session | undefined>;
}

export interface ApiContext {
  store: Store;
  d1?: D1Access;
  /** A registered KV namespace's keys, in the store Workers' bindings use. */
  kvNamespace: KvStoreLookup;
  /** Whether a registered R2 bucket holds objects, in the store Workers' bindings use. */
  r2BucketHasObjects: R2ObjectsLookup;
  /** What the data plane served (the GraphQL Analytics API reads it). */
  invocations?: InvocationLog;
  /** `wrangler tail` sessions (operations/tail.ts). */
  tails?: TailSessions;
  /** How long an uploaded version may take to start in the throwaway workerd before it is refused (dataplane/startup-check.ts). */
  startupDeadlineMs?: number;
}

/** What the edge hands the control plane from the data plane (everything but the store). */
export type DataPlaneAccess = Omit<ApiContext, 'store'>;

export type ApiApp = Hono;

/** An operation module registers the Cloudflare API operations for one concept. */
export type OperationModule = (app: ApiApp, context: ApiContext) => void;
