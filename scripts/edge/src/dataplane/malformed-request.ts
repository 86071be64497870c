/**
 * Requests the data plane refuses with 400 before any Worker sees them: what Node's HTTP parser lets
 * through but workerd cannot turn into a `Request` (it answered a plain-text 500), or what would
 * route by a host or path the client did not mean. Cloudflare answers these with 400 Bad Request:
 * malformed syntax, characters not percent-encoded, contradictory framing
 * (https://developers.cloudflare.com/support/troubleshooting/http-status-codes/4xx-client-error/error-400/).
 */

/** The parts of a parsed request the checks read (a node:http IncomingMessage has them). */
export interface RequestHead {
  method?: string | undefined;
  url?: string | undefined;
  /** Names and values, alternating, as received. */
  rawHeaders: readonly string[];
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port: no userinfo, fragment, list or whitespace. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?)(?::\d{1,5})?$/i;

/** Characters no request target may carry unencoded: `\` (a path separator to URL parsers), `#` (never sent), controls, spaces, non-ASCII. */
const TARGET_FORBIDDEN = /[\\#\s\u0000-\u001f\u007f-\uffff]/;

const WITHOUT_BODY = new Set(['GET', 'HEAD']);

function headerValues(head: RequestHead, name: string): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < head.rawHeaders.length; index += 2) {
    if (head.rawHeaders[index]?.toLowerCase() === name) values.push(head.rawHeaders[index + 1] ?? '');
  }
  return values;
}

function targetProblem(target: string): string | undefined {
  if (TARGET_FORBIDDEN.test(target)) return `The request target ${JSON.stringify(target)} holds a character that must be percent-encoded (\\, #, a space, a control or non-ASCII character)`;
  if (target.startsWith('/')) return undefined;
  if (/^https?:\/\//i.test(target)) {
    const authority = target.replace(/^https?:\/\//i, '').split(/[/?]/, 1)[0] ?? '';
    return HOST.test(authority) ? undefined : `The request target ${JSON.stringify(target)} names an invalid host`;
  }
  return `The request target ${JSON.stringify(target)} is neither a path (/…) nor an absolute http(s) URL`;
}

function hostProblem(head: RequestHead): string | undefined {
  const hosts = headerValues(head, 'host');
  if (hosts.length === 0) return 'The request has no Host header (HTTP/1.1 requires one)';
  if (hosts.length > 1) return 'The request has more than one Host header';
  const host = hosts[0] ?? '';
  return HOST.test(host) ? undefined : `The Host header ${JSON.stringify(host)} is not a host name or address with an optional port`;
}

function framingProblem(head: RequestHead): string | undefined {
  const lengths = headerValues(head, 'content-length');
  const encodings = headerValues(head, 'transfer-encoding');
  if (lengths.some((length) => !/^\d+$/.test(length.trim()))) return `Content-Length ${JSON.stringify(lengths.join(', '))} is not a non-negative integer`;
  if (lengths.length > 0 && encodings.length > 0) return 'The request has both Content-Length and Transfer-Encoding';
  const method = head.method ?? '';
  const hasBody = encodings.length > 0 || lengths.some((length) => Number(length) > 0);
  if (WITHOUT_BODY.has(method) && hasBody) return `A ${method} request cannot have a body`;
  return undefined;
}

/** Why the data plane refuses this request with 400, or undefined when a Worker may see it. */
export function malformedRequestReason(head: RequestHead): string | undefined {
  if (head.method === 'CONNECT') return 'CONNECT is not supported: the edge is not a forward proxy';
  return targetProblem(head.url ?? '') ?? hostProblem(head) ?? framingProblem(head);
}
