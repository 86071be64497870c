/** What every operation module gets: the store, and the hook that turns an upload into blobs. */
import type { Hono } from 'hono';
import type { Store } from '../store/store.ts';

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
}

export type ApiApp = Hono;

/** An operation module registers the Cloudflare API operations for one concept. */
export type OperationModule = (app: ApiApp, context: ApiContext) => void;
