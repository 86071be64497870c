/**
 * The scheme and host a request is routed by, from its headers: one reading for the router worker
 * (router.worker.ts) and the listener's choice of shard (upstream-selection.ts), so both resolve a
 * request to the same script. Runtime-neutral.
 */
import type { RouteScheme } from '../../../cloudflare/route-pattern.ts';

/** `X-Forwarded-Proto` when it names http or https (its first value), else the connection's own scheme. */
export function routingScheme(forwardedProto: string | null | undefined, connection: RouteScheme): RouteScheme {
  const forwarded = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  if (forwarded === 'https' || forwarded === 'http') return forwarded;
  return connection;
}

/** The Host header without its port (`[::1]:8787`, `api.example.com:8787`), lower-case: ports play no part in routing. */
export function routingHost(host: string): string {
  return host.replace(/:\d+$/, '').toLowerCase();
}
