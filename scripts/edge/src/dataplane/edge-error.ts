/**
 * The data plane's own answers (no route, malformed request, runtime unreachable): JSON with an
 * `error` code and a `message`, the code repeated in the `x-edge-error` header, so a client can
 * always tell the edge's answer from a Worker's. Runtime-neutral: the router worker and the Node
 * listener both write them.
 */
export const EDGE_ERROR_HEADER = 'x-edge-error';

export interface EdgeErrorBody {
  error: string;
  message: string;
  [detail: string]: unknown;
}

export function edgeErrorText(body: EdgeErrorBody): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function edgeErrorHeaders(body: EdgeErrorBody): Record<string, string> {
  return { 'content-type': 'application/json; charset=utf-8', [EDGE_ERROR_HEADER]: body.error };
}
