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

/** The values of the headers the checks read, collected in one pass over the raw headers. */
interface CheckedHeaders {
  hosts: string[];
  lengths: string[];
  encodings: string[];
}

function checkedHeaders(head: RequestHead): CheckedHeaders {
  const checked: CheckedHeaders = { hosts: [], lengths: [], encodings: [] };
  const raw = head.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] ?? '';
    // Only names of these lengths can match: most headers are passed over without lower-casing.
    if (name.length !== 4 && name.length !== 14 && name.length !== 17) continue;
    const lower = name.toLowerCase();
    const value = raw[index + 1] ?? '';
    if (lower === 'host') checked.hosts.push(value);
    else if (lower === 'content-length') checked.lengths.push(value);
    else if (lower === 'transfer-encoding') checked.encodings.push(value);
  }
  return checked;
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

function hostProblem({ hosts }: CheckedHeaders): string | undefined {
  if (hosts.length === 0) return 'The request has no Host header (HTTP/1.1 requires one)';
  if (hosts.length > 1) return 'The request has more than one Host header';
  const host = hosts[0] ?? '';
  return HOST.test(host) ? undefined : `The Host header ${JSON.stringify(host)} is not a host name or address with an optional port`;
}

function framingProblem(head: RequestHead, { lengths, encodings }: CheckedHeaders): string | undefined {
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
  const target = targetProblem(head.url ?? '');
  if (target !== undefined) return target;
  const checked = checkedHeaders(head);
  return hostProblem(checked) ?? framingProblem(head, checked);
}
