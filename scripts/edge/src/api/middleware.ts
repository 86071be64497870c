/**
 * Request pipeline of the control plane: request log + fault injection, Cloudflare's rate-limit
 * headers, bearer-token auth, and the error handler that turns thrown errors into envelopes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { FaultAction, FaultController } from '../faults/index.ts';
import { failure } from './envelope.ts';
import { ApiError, ERRORS } from './errors.ts';

export const API_BASE = '/client/v4';

function apiPath(c: Context): string {
  const { pathname } = new URL(c.req.url);
  return pathname.startsWith(API_BASE) ? pathname.slice(API_BASE.length) || '/' : pathname;
}

async function applyFault(c: Context, action: FaultAction): Promise<Response | undefined> {
  switch (action.kind) {
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, action.ms));
      return undefined;
    case 'rate-limit': {
      const response = failure(c, 429, [{ code: ERRORS.rateLimited.code, message: 'You are being rate limited (error 1015). Please wait and consider throttling your request speed' }]);
      response.headers.set('retry-after', String(action.retryAfterSeconds ?? 1));
      return response;
    }
    case 'status':
      return failure(c, action.status, [{ code: action.code ?? ERRORS.internal.code, message: action.message ?? `Injected fault: HTTP ${action.status}` }]);
    case 'drop': {
      const { incoming } = c.env as HttpBindings;
      incoming.socket.destroy();
      return new Response(null, { status: 499 });
    }
  }
}

/** Logs every request and applies the first matching fault rule. */
export function faultMiddleware(faults: FaultController): MiddlewareHandler {
  return async (c, next) => {
    const path = apiPath(c);
    const method = c.req.method;
    const query = new URL(c.req.url).search;
    const action = faults.take(method, path);
    const faulted = action ? await applyFault(c, action) : undefined;
    if (faulted) {
      faults.record({ at: new Date().toISOString(), method, path, query, status: action?.kind === 'drop' ? 0 : faulted.status, ...(action ? { fault: action.kind } : {}) });
      return faulted;
    }
    await next();
    const response = faults.capturingResponses && (c.res.headers.get('content-type') ?? '').includes('application/json') ? ((await c.res.clone().json()) as unknown) : undefined;
    faults.record({ at: new Date().toISOString(), method, path, query, status: c.res.status, ...(action ? { fault: action.kind } : {}), ...(response !== undefined ? { response } : {}) });
  };
}

/** Cloudflare sends these on every API response. */
export function rateLimitHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('ratelimit', '"default";r=1199;t=300');
    c.res.headers.set('ratelimit-policy', '"burst";q=200;w=1, "default";q=1200;w=300');
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Authorization: Bearer <token>`: missing → 401, wrong → 403, both with code 10000. */
export function bearerAuth(token: () => string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') {
      return failure(c, ERRORS.authentication.status, [{ code: ERRORS.authentication.code, message: 'Authentication error: missing Authorization header; send "Authorization: Bearer <token>"' }]);
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !sameSecret(match[1] ?? '', token())) {
      return failure(c, ERRORS.forbidden.status, [{ code: ERRORS.forbidden.code, message: 'Authentication error: the API token is invalid' }]);
    }
    await next();
    return undefined;
  };
}

/** Every `/accounts/:account_id/…` operation: an account id other than the edge's one → 403, code 10000. */
export function accountScope(accountId: () => string): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.param('account_id');
    if (given !== accountId()) {
      return failure(c, ERRORS.forbidden.status, [{ code: ERRORS.forbidden.code, message: `Authentication error: the token is not valid for account ${given ?? ''}` }]);
    }
    await next();
    return undefined;
  };
}

export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) return failure(c, error.status, [{ code: error.code, message: error.message }]);
  // Hono's validator throws this for a JSON body it cannot parse.
  if (error instanceof HTTPException && error.status === 400) return failure(c, ERRORS.validation.status, [{ code: ERRORS.validation.code, message: `the request body is not valid JSON (${error.message})` }]);
  console.error('edge control plane: unexpected error', error);
  return failure(c, ERRORS.internal.status, [{ code: ERRORS.internal.code, message: `Internal error in the local edge: ${error.message}` }]);
}

export function notFound(c: Context): Response {
  return failure(c, ERRORS.noRoute.status, [{ code: ERRORS.noRoute.code, message: `No route for that URI: ${c.req.method} ${apiPath(c)}` }]);
}
