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
 * Runtime-neutral: the data plane's listener (forwarded-headers.ts) applies it to every request it
 * forwards, so the router worker in workerd passes the request on without copying it.
 */
import type { RouteScheme } from '../../../cloudflare/route-pattern.ts';
import { REQUEST_ID_HEADER } from './request-id-entry.ts';
import { routingScheme } from './request-target.ts';

/** Request headers a test sets to choose `request.cf.country` / `request.cf.colo`; stripped by the edge. */
export const COUNTRY_OVERRIDE_HEADER = 'x-edge-cf-country';
export const COLO_OVERRIDE_HEADER = 'x-edge-cf-colo';

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
  /** 16 hex digits, unique per request (ray-ids.ts). */
  rayId: string;
  /** A new `x-request-id`, for a request that has none. */
  newRequestId: () => string;
}

/** A request as Cloudflare's edge passes it to a Worker. */
export interface EdgeRequestHead {
  /** The request's headers, a flat list of names and values: the client's, minus the overrides, plus Cloudflare's. */
  headers: string[];
  cf: IncomingCf;
  /** The `cf-ray` the Worker sees, and the client on the answer. */
  ray: string;
}

/** A Ray ID as Cloudflare writes it: 16 hex digits, a dash, the colo. */
export function rayHeader(rayId: string, colo: string): string {
  return `${rayId}-${colo}`;
}

/** Headers the edge sets itself: whatever the client sent under these names is dropped. */
const EDGE_SET = new Set<string>([COUNTRY_OVERRIDE_HEADER, COLO_OVERRIDE_HEADER, ...CLIENT_ADDRESS_HEADERS, FORWARDED_FOR_HEADER, 'cf-ray', 'x-forwarded-proto', 'cf-visitor']);

/** An edge-set header's value as the client sent it (repeats joined as `Headers.get` joins them), for the edge's own use. */
interface SentValues {
  country?: string;
  colo?: string;
  forwardedFor?: string;
  forwardedProto?: string;
  acceptEncoding?: string;
  requestId?: string;
}

function joined(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}

function override(value: string | undefined, pattern: RegExp, fallback: string): string {
  const normal = value?.trim().toUpperCase();
  return normal !== undefined && pattern.test(normal) ? normal : fallback;
}

/** `request.cf` for a request, with the country and colo a test asked for. */
function incomingCf(sent: SentValues, scheme: RouteScheme): IncomingCf {
  return {
    asn: 0,
    asOrganization: 'edgeops local edge',
    colo: override(sent.colo, COLO, DEFAULT_COLO),
    country: override(sent.country, COUNTRY, DEFAULT_COUNTRY),
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
    clientAcceptEncoding: sent.acceptEncoding ?? '',
    requestPriority: '',
    edgeRequestKeepAliveStatus: 1,
  };
}

/**
 * What the edge makes of a request's headers (`sent`: names and values as received, hop-by-hop ones
 * already gone): the test overrides and whatever the client claimed in Cloudflare's own headers are
 * dropped, then Cloudflare's are added; the scheme is the first `X-Forwarded-Proto` token's.
 */
export function edgeRequestHead(sent: readonly string[], context: EdgeRequestContext): EdgeRequestHead {
  const values: SentValues = {};
  const headers: string[] = [];
  for (let index = 0; index + 1 < sent.length; index += 2) {
    const name = sent[index] ?? '';
    const value = sent[index + 1] ?? '';
    const lower = name.toLowerCase();
    if (lower === 'accept-encoding') values.acceptEncoding = joined(values.acceptEncoding, value);
    else if (lower === 'x-request-id') values.requestId = value;
    if (!EDGE_SET.has(lower)) {
      headers.push(name, value);
      continue;
    }
    if (lower === COUNTRY_OVERRIDE_HEADER) values.country = joined(values.country, value);
    else if (lower === COLO_OVERRIDE_HEADER) values.colo = joined(values.colo, value);
    else if (lower === FORWARDED_FOR_HEADER) values.forwardedFor = joined(values.forwardedFor, value);
    else if (lower === 'x-forwarded-proto') values.forwardedProto = joined(values.forwardedProto, value);
  }
  const scheme = routingScheme(values.forwardedProto, 'http');
  const cf = incomingCf(values, scheme);
  const ray = rayHeader(context.rayId, cf.colo);
  for (const name of CLIENT_ADDRESS_HEADERS) headers.push(name, context.clientIp);
  headers.push(FORWARDED_FOR_HEADER, forwardedFor(values.forwardedFor ?? null, context.clientIp));
  headers.push('cf-ray', ray, 'x-forwarded-proto', scheme, 'cf-visitor', JSON.stringify({ scheme }));
  // One id per request, so its log lines (dataplane/logs.ts) can be found together.
  if (values.requestId === undefined) headers.push(REQUEST_ID_HEADER, context.newRequestId());
  return { headers, cf, ray };
}
