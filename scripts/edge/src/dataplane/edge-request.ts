/**
 * What Cloudflare's edge does to a request before a Worker sees it, and to the answer: a `cf-ray`
 * on both, the client address headers overwritten with the address that connected (a client cannot
 * choose what the Worker believes its address is), that address appended to `X-Forwarded-For`, and `request.cf` with the fields Cloudflare
 * documents. Sources: https://developers.cloudflare.com/fundamentals/reference/http-headers/
 * (CF-Connecting-IP, X-Forwarded-For, X-Real-IP, CF-Ray, CF-Visitor, X-Forwarded-Proto) and
 * https://developers.cloudflare.com/workers/runtime-apis/request/#incomingrequestcfproperties.
 *
 * Tests choose where a request "comes from" with the `x-edge-cf-country` and `x-edge-cf-colo`
 * request headers; the edge removes them before the Worker sees the request.
 * Runtime-neutral: bundled into the router worker.
 */
import type { RouteScheme } from '../../../cloudflare/route-pattern.ts';

/** Request headers a test sets to choose `request.cf.country` / `request.cf.colo`; stripped by the edge. */
export const COUNTRY_OVERRIDE_HEADER = 'x-edge-cf-country';
export const COLO_OVERRIDE_HEADER = 'x-edge-cf-colo';

/**
 * The address that connected to the data plane's listener (listener.ts), which workerd, behind it,
 * cannot see. The listener always overwrites it; the router reads it and removes it.
 */
export const CONNECTING_ADDRESS_HEADER = 'x-edge-connecting-address';

/** Headers that carry the client's address: whatever the client sent is replaced. */
export const CLIENT_ADDRESS_HEADERS = ['cf-connecting-ip', 'x-real-ip'] as const;

/**
 * The proxy chain: Cloudflare appends the connecting address to an `X-Forwarded-For` the client
 * sent, and sets it to that address otherwise
 * (https://developers.cloudflare.com/fundamentals/reference/http-headers/#x-forwarded-for).
 */
export const FORWARDED_FOR_HEADER = 'x-forwarded-for';

export function forwardedFor(sent: string | null, clientIp: string): string {
  const chain = sent?.trim();
  return chain ? `${chain}, ${clientIp}` : clientIp;
}

export const DEFAULT_COLO = 'LOCAL';
export const DEFAULT_COUNTRY = 'XX';

const COUNTRY = /^[A-Z]{2}$/;
const COLO = /^[A-Z0-9]{3,5}$/;

/** The `request.cf` object a Worker gets (`IncomingRequestCfProperties`, the fields a local edge can fill). */
export interface IncomingCf {
  asn: number;
  asOrganization: string;
  colo: string;
  country: string;
  continent: string;
  city: string;
  region: string;
  regionCode: string;
  postalCode: string;
  latitude: string;
  longitude: string;
  timezone: string;
  httpProtocol: string;
  tlsVersion: string;
  tlsCipher: string;
  clientTcpRtt: number;
  clientAcceptEncoding: string;
  requestPriority: string;
  edgeRequestKeepAliveStatus: number;
}

export interface EdgeRequestContext {
  /** The address that connected to the edge. */
  clientIp: string;
  scheme: RouteScheme;
  /** 16 hex digits, unique per request. */
  rayId: string;
}

/** A Ray ID as Cloudflare writes it: 16 hex digits, a dash, the colo. */
export function rayHeader(rayId: string, colo: string): string {
  return `${rayId}-${colo}`;
}

/** 16 random hex digits from `randomBytes` (crypto.getRandomValues in the runtime). */
export function newRayId(randomBytes: (bytes: Uint8Array) => Uint8Array): string {
  return Array.from(randomBytes(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function override(headers: Headers, name: string, pattern: RegExp, fallback: string): string {
  const value = headers.get(name)?.trim().toUpperCase();
  return value !== undefined && pattern.test(value) ? value : fallback;
}

/** `request.cf` for a request, with the country and colo a test asked for. */
export function incomingCf(incoming: Headers, scheme: RouteScheme): IncomingCf {
  return {
    asn: 0,
    asOrganization: 'edgeops local edge',
    colo: override(incoming, COLO_OVERRIDE_HEADER, COLO, DEFAULT_COLO),
    country: override(incoming, COUNTRY_OVERRIDE_HEADER, COUNTRY, DEFAULT_COUNTRY),
    continent: 'XX',
    city: 'Localhost',
    region: '',
    regionCode: '',
    postalCode: '',
    latitude: '0.00000',
    longitude: '0.00000',
    timezone: 'UTC',
    httpProtocol: 'HTTP/1.1',
    tlsVersion: scheme === 'https' ? 'TLSv1.3' : '',
    tlsCipher: scheme === 'https' ? 'AEAD-AES128-GCM-SHA256' : '',
    clientTcpRtt: 0,
    clientAcceptEncoding: incoming.get('accept-encoding') ?? '',
    requestPriority: '',
    edgeRequestKeepAliveStatus: 1,
  };
}

/** The request headers a Worker sees: the client's, minus the overrides, plus Cloudflare's. */
export function edgeRequestHeaders(incoming: Headers, context: EdgeRequestContext, colo: string): Headers {
  const headers = new Headers(incoming);
  headers.delete(COUNTRY_OVERRIDE_HEADER);
  headers.delete(COLO_OVERRIDE_HEADER);
  headers.delete(CONNECTING_ADDRESS_HEADER);
  for (const name of CLIENT_ADDRESS_HEADERS) headers.set(name, context.clientIp);
  headers.set(FORWARDED_FOR_HEADER, forwardedFor(incoming.get(FORWARDED_FOR_HEADER), context.clientIp));
  headers.set('cf-ray', rayHeader(context.rayId, colo));
  headers.set('x-forwarded-proto', context.scheme);
  headers.set('cf-visitor', JSON.stringify({ scheme: context.scheme }));
  return headers;
}

/** The answer with the request's `cf-ray` (the response headers may be immutable, so it is copied). */
export function withRay(response: Response, ray: string): Response {
  // A WebSocket upgrade keeps its socket only on the original Response.
  if (response.status === 101) return response;
  const copy = new Response(response.body, response);
  copy.headers.set('cf-ray', ray);
  return copy;
}
