/**
 * Which runtime the listener (listener.ts) sends a request to. The data plane runs one workerd per
 * shard (shard-plan.ts), each with a router worker of its own; the listener resolves the request
 * against the account's dispatch table (dispatch.ts, the router's own code) and sends it to the
 * shard running the script it reaches. A request that reaches no deployed Worker (no route matched,
 * a negating route, a script without a deployment) goes to the home shard, whose router answers it
 * as every router would (each shard's table holds the routes that reach no deployed Worker, so any
 * shard's router gives those answers; with one shard running every script, it takes every request
 * and nothing is resolved here). A shard's router re-matches the request on its own table, a subset
 * of the account's holding the same most specific match, so nothing is passed beside the request.
 *
 * Across releases, a shard whose address is unchanged (it was not restarted) keeps its upstream
 * (the listener's connection pool to it).
 */
import type { IncomingMessage } from 'node:http';
import { compileDispatchTable, resolveDispatch, type CompiledDispatchTable } from './dispatch.ts';
import type { DispatchTable } from './dispatch-table.ts';
import { routingHost, routingScheme } from './request-target.ts';

/** Where the shards' routers listen, and which shard runs which script. */
export interface ShardUpstreams {
  /** Shard id → its router's address (`http://127.0.0.1:<port>`); a shard missing here is down. */
  urls: Record<string, string>;
  /** The shard answering requests that reach no deployed Worker. */
  home: string;
  /** The account's dispatch table and each deployed script's shard; absent, every request goes to `home`. */
  routing?: { table: DispatchTable; shardOf: Record<string, string> };
}

/** One runtime address as the only shard. */
export function singleUpstream(url: string): ShardUpstreams {
  return { urls: { only: url }, home: 'only' };
}

export interface UpstreamSelection<Upstream> {
  /** The upstream for this request; undefined when its shard is down. */
  pick(req: IncomingMessage): Upstream | undefined;
  /** Every upstream, by address (for the next release to keep and for closing). */
  readonly byUrl: ReadonlyMap<string, Upstream>;
}

/** The path and query as a URL parser (workerd's too) normalises them. */
function pathAndQueryOf(rawUrl: string): string {
  try {
    const url = new URL(rawUrl, 'http://listener.invalid');
    return `${url.pathname}${url.search}`;
  } catch {
    return rawUrl;
  }
}

/**
 * The selection for `next`, reusing the upstreams of `previous` whose address is unchanged
 * (`connect` opens new ones); the previous upstreams not kept are handed to `retire`.
 */
export function selectUpstreams<Upstream>(
  next: ShardUpstreams | undefined,
  previous: UpstreamSelection<Upstream> | undefined,
  connect: (url: string) => Upstream,
  retire: (upstream: Upstream) => void,
): UpstreamSelection<Upstream> | undefined {
  const byUrl = new Map<string, Upstream>();
  for (const url of Object.values(next?.urls ?? {})) byUrl.set(url, byUrl.get(url) ?? previous?.byUrl.get(url) ?? connect(url));
  for (const [url, upstream] of previous?.byUrl ?? []) if (!byUrl.has(url)) retire(upstream);
  if (!next) return undefined;
  const byShard = new Map(Object.entries(next.urls).map(([shard, url]) => [shard, byUrl.get(url)]));
  const home = byShard.get(next.home);
  const routing = next.routing;
  if (!routing) return { byUrl, pick: () => home };
  // One shard runs every script: its router answers every request, those reaching no Worker too.
  const scriptShards = new Set(Object.values(routing.shardOf));
  if (scriptShards.size <= 1) {
    const only = [...scriptShards][0];
    const upstream = only === undefined ? home : byShard.get(only);
    return { byUrl, pick: () => upstream };
  }
  const compiled: CompiledDispatchTable = compileDispatchTable(routing.table);
  return {
    byUrl,
    pick(req) {
      const forwardedProto = req.headers['x-forwarded-proto'];
      const dispatch = resolveDispatch(compiled, {
        scheme: routingScheme(Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto, 'http'),
        host: routingHost(req.headers.host ?? ''),
        pathAndQuery: pathAndQueryOf(req.url ?? '/'),
      });
      if (dispatch.kind !== 'script') return home;
      const shard = routing.shardOf[dispatch.script];
      return shard === undefined ? home : byShard.get(shard);
    },
  };
}
