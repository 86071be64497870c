/** What every operation module gets: the store, and the data plane's KV namespaces and R2 buckets (their data). */
import type { Hono } from 'hono';
import type { KvStoreLookup } from '../kv-store.ts';
import type { R2ObjectsLookup } from '../r2-objects.ts';
import type { Store } from '../store/store.ts';

export interface ApiContext {
  store: Store;
  /** A registered KV namespace's keys, in the store Workers' bindings use. */
  kvNamespace: KvStoreLookup;
  /** Whether a registered R2 bucket holds objects, in the store Workers' bindings use. */
  r2BucketHasObjects: R2ObjectsLookup;
}

/** What the edge hands the control plane from the data plane (everything but the store). */
export type DataPlaneAccess = Omit<ApiContext, 'store'>;

export type ApiApp = Hono;

/** An operation module registers the Cloudflare API operations for one concept. */
export type OperationModule = (app: ApiApp, context: ApiContext) => void;
