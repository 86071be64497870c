/**
 * Where the listener (listener.ts) sends a request. The data plane runs one workerd per shard
 * (shard-plan.ts); the listener resolves the request against the account's dispatch table
 * (dispatch.ts, the router's own code) and, when it reaches a deployed script, picks the version as
 * the router would (version-split.ts: the overrides header, the version key, else at random by the
 * percentages) and sends it straight to that version Worker's own socket, with the public URL
 * (scheme from X-Forwarded-Proto, the Host without its port) in the request line — what the router's
 * `publicRequest` gave the Worker, without the router's service-binding hop. A request that reaches
 * no deployed Worker (no route matched, a negating route, a script without a deployment) goes to the
 * home shard's router, which answers it (each shard's table holds the routes that reach no deployed
 * Worker). A script whose version has no socket (an address missing) goes to its shard's router.
 *
 * Across releases, an address that is unchanged (its shard was not restarted) keeps its upstream
 * (the listener's connection pool to it).
 */
import type { IncomingMessage } from 'node:http';
import { compileDispatchTable, resolveDispatch, type CompiledDispatchTable } from './dispatch.ts';
import { versionWorkerName, type DispatchTable, type DispatchVersion } from './dispatch-table.ts';
import { routingHost, routingScheme } from './request-target.ts';
import { chooseVersion, VERSION_KEY_HEADER, VERSION_OVERRIDES_HEADER } from './version-split.ts';

/** Where the shards' routers listen, and which shard runs which script. */
export interface ShardUpstreams {
  /** Shard id → its router's address (`http://127.0.0.1:<port>`); a shard missing here is down. */
  urls: Record<string, string>;
  /** The shard answering requests that reach no deployed Worker. */
  home: string;
  /** The account's dispatch table and each deployed script's shard; absent, every request goes to `home`. */
  routing?: {
    table: DispatchTable;
    shardOf: Record<string, string>;
    /** Each version Worker's own socket (`http://127.0.0.1:<port>`), by its worker name (dispatch-table.ts `versionWorkerName`). */
    versionUrls?: Record<string, string>;
  };
}

/** Where one request goes: an upstream, and for a version Worker's socket the public URL for the request line. */
export interface UpstreamChoice<Upstream> {
  upstream: Upstream;
  /** `https://host/path?query`, when the request goes straight to a version Worker; absent for a router. */
  publicUrl?: string;
}

/** One runtime address as the only shard. */
export function singleUpstream(url: string): ShardUpstreams {
  return { urls: { only: url }, home: 'only' };
}

export interface UpstreamSelection<Upstream> {
  /** The upstream for this request; undefined when its shard is down. */
  pick(req: IncomingMessage): UpstreamChoice<Upstream> | undefined;
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The selection for `next`, reusing the upstreams of `previous` whose address is unchanged
 * (`connect` opens new ones); the previous upstreams not kept are handed to `retire`.
 * `random` draws the percentage split ([0, 1), Math.random unless a test fixes it).
 */
export function selectUpstreams<Upstream>(
  next: ShardUpstreams | undefined,
  previous: UpstreamSelection<Upstream> | undefined,
  connect: (url: string) => Upstream,
  retire: (upstream: Upstream) => void,
  random: () => number = Math.random,
): UpstreamSelection<Upstream> | undefined {
  const byUrl = new Map<string, Upstream>();
  const addresses = [...Object.values(next?.urls ?? {}), ...Object.values(next?.routing?.versionUrls ?? {})];
  for (const url of addresses) byUrl.set(url, byUrl.get(url) ?? previous?.byUrl.get(url) ?? connect(url));
  for (const [url, upstream] of previous?.byUrl ?? []) if (!byUrl.has(url)) retire(upstream);
  if (!next) return undefined;
  const upstreamOf = (url: string | undefined): UpstreamChoice<Upstream> | undefined => {
    const upstream = url === undefined ? undefined : byUrl.get(url);
    return upstream === undefined ? undefined : { upstream };
  };
  const home = upstreamOf(next.urls[next.home]);
  const routing = next.routing;
  if (!routing) return { byUrl, pick: () => home };
  const compiled: CompiledDispatchTable = compileDispatchTable(routing.table);
  const versionUrls = routing.versionUrls ?? {};
  /** Each deployed script's versions, with the upstream of each one's socket. */
  const versionsOf = new Map<string, (DispatchVersion & { upstream: Upstream | undefined })[]>();
  for (const [script, { versions }] of Object.entries(routing.table.scripts)) {
    const url = (version: DispatchVersion): string | undefined => versionUrls[versionWorkerName(script, version.id)];
    versionsOf.set(script, versions.map((version) => ({ ...version, upstream: upstreamOf(url(version))?.upstream })));
  }
  return {
    byUrl,
    pick(req) {
      const scheme = routingScheme(headerValue(req.headers['x-forwarded-proto']), 'http');
      const host = routingHost(req.headers.host ?? '');
      const pathAndQuery = pathAndQueryOf(req.url ?? '/');
      const dispatch = resolveDispatch(compiled, { scheme, host, pathAndQuery });
      if (dispatch.kind !== 'script') return home;
      const shard = routing.shardOf[dispatch.script];
      const versions = versionsOf.get(dispatch.script);
      // Not deployed: the home router answers (script_not_deployed).
      if (shard === undefined || versions === undefined || versions.length === 0) return home;
      const version = chooseVersion(versions, {
        script: dispatch.script,
        overridesHeader: headerValue(req.headers[VERSION_OVERRIDES_HEADER.toLowerCase()]),
        versionKey: headerValue(req.headers[VERSION_KEY_HEADER.toLowerCase()]),
        random,
      });
      if (version.upstream === undefined) return upstreamOf(next.urls[shard]);
      return { upstream: version.upstream, publicUrl: `${scheme}://${host}${pathAndQuery}` };
    },
  };
}
