/** What every operation module gets: the store, and the data plane's KV namespaces (the data API). */
import type { Hono } from 'hono';
import type { KvStoreLookup } from '../kv-store.ts';
import type { Store } from '../store/store.ts';

export interface ApiContext {
  store: Store;
  /** A registered KV namespace's keys, in the store Workers' bindings use. */
  kvNamespace: KvStoreLookup;
}

export type ApiApp = Hono;

/** An operation module registers the Cloudflare API operations for one concept. */
export type OperationModule = (app: ApiApp, context: ApiContext) => void;
