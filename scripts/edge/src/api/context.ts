/** What every operation module gets: the store, and the hook that turns an upload into blobs. */
import type { Hono } from 'hono';
import type { Store } from '../store/store.ts';
import type { InvocationLog } from '../analytics/invocation-log.ts';
import type { TailSessions } from '../tail/tail-sessions.ts';

export interface ApiContext {
  store: Store;
  /** What the data plane served (the GraphQL Analytics API reads it). */
  invocations?: InvocationLog;
  /** `wrangler tail` sessions (operations/tail.ts). */
  tails?: TailSessions;
}

export type ApiApp = Hono;

/** An operation module registers the Cloudflare API operations for one concept. */
export type OperationModule = (app: ApiApp, context: ApiContext) => void;
