import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Route } from './route.ts';
import { checkerOf, issuesOf, type Checker } from './schema.ts';

/** What a handler answers: one of its route's declared statuses and that status's body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** Turns a handler's reply into the Response sent, carrying `x-request-id`. */
export type Replier = (reply: Reply, requestId: string) => Response | Promise<Response>;

/** A JSON response serialised once, its headers given at construction (no copy, no header set afterwards). */
export function jsonResponse(status: number, body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': requestId } });
}

function send(status: number, body: unknown, bodiless: boolean, requestId: string): Response {
  if (bodiless || body === undefined) return new Response(null, { status, headers: { 'x-request-id': requestId } });
  return jsonResponse(status, body, requestId);
}

function brokenBody(route: Route, status: number, issues: readonly StandardSchemaV1.Issue[]): Error {
  const where = issuesOf(issues)
    .map((issue) => `${issue.path || '(body)'}: ${issue.message}`)
    .join('; ');
  return new Error(`${route.method} ${route.path} answered a ${status} body that breaks its contract: ${where}`);
}

/**
 * Builds, once per route, what sends its handler's replies. With `checkResponses` every reply is
 * checked against the route's declared responses first (an undeclared status or a body that breaks
 * its schema throws, which the provider answers with a 500); the body sent is the handler's value,
 * serialised once.
 */
export function replier(route: Route, checkResponses: boolean): Replier {
  /** By declared status: its body's validator, or null for a response without a body. */
  const declared = new Map<number, Checker | null>(Object.entries(route.responses).map(([status, schema]) => [Number(status), schema && checkerOf(schema, 'check')]));
  if (!checkResponses) return (reply, requestId) => send(reply.status, reply.body, declared.get(reply.status) === null, requestId);
  return (reply, requestId) => {
    const check = declared.get(reply.status);
    if (check === undefined) throw new Error(`${route.method} ${route.path} answered status ${reply.status}, which its contract does not declare`);
    if (check === null) return send(reply.status, reply.body, true, requestId);
    const result = check(reply.body);
    if (result instanceof Promise) {
      return result.then((settled) => {
        if (settled.issues) throw brokenBody(route, reply.status, settled.issues);
        return send(reply.status, reply.body, false, requestId);
      });
    }
    if (result.issues) throw brokenBody(route, reply.status, result.issues);
    return send(reply.status, reply.body, false, requestId);
  };
}
