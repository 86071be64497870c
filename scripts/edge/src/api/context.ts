/** What every operation module gets: the store, and the hook that turns an upload into blobs. */
import type { Hono } from 'hono';
import type { D1Handle } from '../dataplane/d1-access.ts';
import type { Store } from '../store/store.ts';

/** The data plane's D1 databases by id (the query API's storage); absent when no data plane runs. */
export interface D1Access {
  database(databaseId: string): Promise<D1Handle | undefined>;
}

export interface ApiContext {
  store: Store;
  d1?: D1Access;
}

export type ApiApp = Hono;

/** An operation module registers the Cloudflare API operations for one concept. */
export type OperationModule = (app: ApiApp, context: ApiContext) => void;
