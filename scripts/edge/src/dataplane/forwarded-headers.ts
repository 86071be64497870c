/**
 * Which headers the listener (listener.ts) passes between a client and workerd, both ways. On the
 * way in, the request gets what Cloudflare's edge adds (edge-request.ts: client address headers,
 * `cf-ray`, `x-request-id`) and its `request.cf` as JSON in Miniflare's cf-blob header, which
 * workerd turns into the Worker's `request.cf` (or the router's, which passes the request on as it came).
 * On the way out, the answer gets the request's `cf-ray`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { edgeRequestHead } from './edge-request.ts';
import { nextRayId } from './ray-ids.ts';

/**
 * The header workerd reads `request.cf` from (as JSON) on the router's direct socket, and removes:
 * Miniflare configures every direct socket with `cfBlobHeader: CoreHeaders.CF_BLOB` ("MF-CF-Blob";
 * miniflare/src/index.ts, where it builds `unsafeDirectSockets`). A client's own is never passed on.
 */
export const CF_BLOB_HEADER = 'mf-cf-blob';

/** Hop-by-hop headers (RFC 9110 §7.6.1), what the pool sets itself, and the edge's cf blob: never passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', CF_BLOB_HEADER]);

const NONE: ReadonlySet<string> = new Set();

/** What the listener sends workerd for one request, and the `cf-ray` its answer carries. */
export interface ForwardedHead {
  /** Names and values, alternating. */
  headers: string[];
  ray: string;
}

/** The header names a request's `Connection` header lists (hop-by-hop for this hop only), lower case. */
function connectionNamed(rawHeaders: readonly string[]): Set<string> | undefined {
  let named: Set<string> | undefined;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() !== 'connection') continue;
    named ??= new Set();
    for (const token of (rawHeaders[index + 1] ?? '').split(',')) named.add(token.trim().toLowerCase());
  }
  return named;
}

/**
 * The request's headers as sent (names' case and repeats kept), minus hop-by-hop ones (except
 * `keep`), as Cloudflare's edge passes them to a Worker, plus `request.cf` for workerd.
 */
export function forwardedHead(req: IncomingMessage, keep: ReadonlySet<string> = NONE): ForwardedHead {
  const raw = req.rawHeaders;
  const named = connectionNamed(raw);
  const sent: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] ?? '';
    const lower = name.toLowerCase();
    if ((HOP_BY_HOP.has(lower) || named?.has(lower) === true) && !keep.has(lower)) continue;
    sent.push(name, raw[index + 1] ?? '');
  }
  const head = edgeRequestHead(sent, { clientIp: req.socket.remoteAddress ?? '127.0.0.1', rayId: nextRayId(), newRequestId: randomUUID });
  head.headers.push(CF_BLOB_HEADER, JSON.stringify(head.cf));
  return { headers: head.headers, ray: head.ray };
}

/** An answer's raw headers (undici's list of names and values) for the client, as a flat list for `writeHead`: hop-by-hop ones dropped, the request's `cf-ray` set. */
export function answerHeaderList(raw: readonly Buffer[], ray: string): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]?.toString('latin1') ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'cf-ray') continue;
    kept.push(name, raw[index + 1]?.toString('latin1') ?? '');
  }
  kept.push('cf-ray', ray);
  return kept;
}

/** An answer's headers for the client: hop-by-hop ones dropped (the listener's server frames the answer itself). */
export function answerHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
