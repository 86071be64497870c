/** Which headers the listener (listener.ts) passes between a client and workerd, both ways. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { CONNECTING_ADDRESS_HEADER } from './edge-request.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1), what the pool sets itself, and the listener's own header: never passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', CONNECTING_ADDRESS_HEADER]);

const NONE: ReadonlySet<string> = new Set();

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

/** The request's headers as sent (names' case and repeats kept), minus hop-by-hop ones (except `keep`), plus the connecting address. */
export function forwardedHeaders(req: IncomingMessage, keep: ReadonlySet<string> = NONE): string[] {
  const raw = req.rawHeaders;
  const named = connectionNamed(raw);
  const headers: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] ?? '';
    const lower = name.toLowerCase();
    if ((HOP_BY_HOP.has(lower) || named?.has(lower) === true) && !keep.has(lower)) continue;
    headers.push(name, raw[index + 1] ?? '');
  }
  headers.push(CONNECTING_ADDRESS_HEADER, req.socket.remoteAddress ?? '127.0.0.1');
  return headers;
}

/** An answer's raw headers (undici's list of names and values) for the client, as a flat list for `writeHead`, hop-by-hop ones dropped. */
export function answerHeaderList(raw: readonly Buffer[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]?.toString('latin1') ?? '';
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    kept.push(name, raw[index + 1]?.toString('latin1') ?? '');
  }
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
