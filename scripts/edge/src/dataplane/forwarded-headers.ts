/** Which headers the listener (listener.ts) passes between a client and workerd, both ways. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { CONNECTING_ADDRESS_HEADER } from './edge-request.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1), what the pool sets itself, and the listener's own header: never passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', CONNECTING_ADDRESS_HEADER]);

/** The request's headers as sent (names' case and repeats kept), minus hop-by-hop ones (except `keep`), plus the connecting address. */
export function forwardedHeaders(req: IncomingMessage, keep: ReadonlySet<string> = new Set()): string[] {
  const named = new Set((req.headers.connection ?? '').split(',').map((token) => token.trim().toLowerCase()));
  const headers: string[] = [];
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = req.rawHeaders[index] ?? '';
    const lower = name.toLowerCase();
    if ((HOP_BY_HOP.has(lower) || named.has(lower)) && !keep.has(lower)) continue;
    headers.push(name, req.rawHeaders[index + 1] ?? '');
  }
  headers.push(CONNECTING_ADDRESS_HEADER, req.socket.remoteAddress ?? '127.0.0.1');
  return headers;
}

/** An answer's headers for the client: hop-by-hop ones dropped (the listener's server frames the answer itself). */
export function answerHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
