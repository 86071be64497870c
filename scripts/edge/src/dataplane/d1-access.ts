/**
 * The data plane's D1 databases, reachable from Node for the control plane's query API
 * (`…/d1/database/{id}/query|raw`): one internal worker binds every database the account has
 * registered, by id, as the Workers' own `d1` bindings do, so the API reads and writes the very
 * data a Worker's `env.DB` sees (Miniflare keys D1 storage by database id, not by worker).
 */
import type { Miniflare, WorkerOptions } from 'miniflare';

export const D1_ACCESS_WORKER_NAME = '@edge-d1';

/** What Miniflare hands out for a D1 binding: the Workers runtime's `D1Database`, proxied into Node. */
export type D1Handle = Awaited<ReturnType<Miniflare['getD1Database']>>;

export function d1BindingName(databaseId: string): string {
  return `D1_${databaseId.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** The internal worker binding `databaseIds`, or none when there is no database. */
export function d1AccessWorker(databaseIds: readonly string[]): WorkerOptions[] {
  if (databaseIds.length === 0) return [];
  return [
    {
      name: D1_ACCESS_WORKER_NAME,
      modules: true,
      script: 'export default { fetch() { return new Response("internal: D1 access for the control plane", { status: 404 }); } };',
      compatibilityDate: '2025-09-01',
      d1Databases: Object.fromEntries(databaseIds.map((id) => [d1BindingName(id), id])),
    },
  ];
}
