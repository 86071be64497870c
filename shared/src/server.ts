import { Router, type IRequest } from 'itty-router';
import { DEFAULT_MAX_BODY_BYTES, discardBody, readJsonBody } from './body.ts';
import type { Contract } from './contract.ts';
import { HttpError, errorResponse } from './errors.ts';
import { OPENAPI_PATH, openApiDocument, type OpenApiDocument } from './openapi.ts';
import type { RequestParts, ResponseOf, Route } from './route.ts';
import { validate, type Schema } from './schema.ts';

/** The part of the Workers `ExecutionContext` a handler may use. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

export type HandlerInput<R extends Route, Env> = RequestParts<R, 'out'> & {
  request: Request;
  env: Env;
  ctx: ExecutionContextLike;
  /** The caller's `x-request-id`, or a new one: pass it on to the clients this handler calls. */
  requestId: string;
};

export type Handler<R extends Route, Env> = (input: HandlerInput<R, Env>) => ResponseOf<R, 'in'> | Promise<ResponseOf<R, 'in'>>;

/** One handler per operation of the contract, each typed by its route. */
export type Handlers<C extends Contract, Env> = { [Op in keyof C['routes']]: Handler<C['routes'][Op], Env> };

export interface ProviderOptions {
  /** Largest JSON request body accepted; larger ones get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Check every response against the contract; a mismatch becomes a 500 and is logged. Default true. */
  checkResponses?: boolean;
  /**
   * Serve the contract's OpenAPI 3.1 document at `GET /openapi.json` (default true), with this as
   * its `info.version` (default `unversioned`; the committed `services/<name>/openapi.json` carries
   * the `package.json` version). A contract route on the same path takes precedence.
   */
  openapi?: boolean | { version: string };
}

/** A Worker's `fetch` handler built from a contract. */
export interface Provider<Env> {
  fetch(request: Request, env: Env, ctx: ExecutionContextLike): Promise<Response>;
}

type RouteArgs<Env> = [env: Env, ctx: ExecutionContextLike, requestId: string];
type AllowRequest = IRequest & { allowed?: string[] };

const lowerMethod = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as const;

async function validated(schema: Schema | undefined, value: unknown, where: string): Promise<unknown> {
  if (!schema) return undefined;
  const result = await validate(schema, value);
  if (!result.ok) {
    const issues = result.issues.map((issue) => ({ path: issue.path ? `${where}.${issue.path}` : where, message: issue.message }));
    throw new HttpError(400, 'invalid_request', `Invalid request ${where}.`, issues);
  }
  return result.value;
}

/** itty-router hands path parameters over still percent-encoded. */
function decodeParams(params: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!value.includes('%')) {
      decoded[name] = value; // Nothing to decode (the common case): skip decodeURIComponent.
      continue;
    }
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, 'invalid_request', `Path parameter "${name}" is not valid percent-encoding.`);
    }
  }
  return decoded;
}

async function toResponse(route: Route, reply: { status: number; body: unknown }, check: boolean): Promise<Response> {
  const declared = route.responses[reply.status];
  if (check) {
    if (declared === undefined) {
      throw new Error(`${route.method} ${route.path} answered status ${reply.status}, which its contract does not declare`);
    }
    if (declared !== null) {
      const result = await validate(declared, reply.body);
      if (!result.ok) {
        const where = result.issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
        throw new Error(`${route.method} ${route.path} answered a ${reply.status} body that breaks its contract: ${where}`);
      }
    }
  }
  if (declared === null || reply.body === undefined) return new Response(null, { status: reply.status });
  return Response.json(reply.body, { status: reply.status });
}

/**
 * Builds an itty-router app from a contract and one handler per operation. Inputs are validated
 * (400 listing each bad field); unknown paths are 404, known paths with another method 405 with
 * `Allow`; bodies must be JSON (415) under the size limit (413); anything thrown becomes a 500 JSON
 * error without a stack trace. Every response carries `x-request-id`.
 */
export function implement<C extends Contract, Env = unknown>(
  contract: C,
  handlers: NoInfer<Handlers<C, Env>>,
  options: ProviderOptions = {},
): Provider<Env> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const checkResponses = options.checkResponses ?? true;
  const router = Router<IRequest, RouteArgs<Env>>();
  const allowRouter = Router<AllowRequest>();

  for (const [operation, route] of Object.entries(contract.routes)) {
    const handler = handlers[operation] as unknown as Handler<Route, Env>;
    router[lowerMethod[route.method]](route.path, async (request: IRequest, env: Env, ctx: ExecutionContextLike, requestId: string) => {
      const params = await validated(route.params, decodeParams(request.params), 'params');
      const query = await validated(route.query, request.query, 'query');
      const body = route.body ? await validated(route.body, await readJsonBody(request, maxBodyBytes), 'body') : undefined;
      const input = { params, query, body, request, env, ctx, requestId } as HandlerInput<Route, Env>;
      const reply = await handler(input);
      return toResponse(route, reply, checkResponses);
    });
    allowRouter.all(route.path, (request: AllowRequest) => {
      (request.allowed ??= []).push(route.method);
    });
  }

  if (options.openapi !== false) {
    const version = typeof options.openapi === 'object' ? options.openapi.version : 'unversioned';
    let document: OpenApiDocument | undefined;
    router.get(OPENAPI_PATH, () => Response.json((document ??= openApiDocument(contract, { version }))));
    allowRouter.all(OPENAPI_PATH, (request: AllowRequest) => {
      (request.allowed ??= []).push('GET');
    });
  }

  return {
    async fetch(request, env, ctx) {
      const response = await answer(request, env, ctx);
      await discardBody(request).catch(() => undefined);
      return response;
    },
  };

  async function answer(request: Request, env: Env, ctx: ExecutionContextLike): Promise<Response> {
    const requestId = request.headers.get('x-request-id') || crypto.randomUUID();
    try {
      const response: Response | undefined = await router.fetch(request, env, ctx, requestId);
      if (response) {
        // Every matched route answers with a Response built here (toResponse, the OpenAPI route), so its
        // headers are mutable: set the id in place rather than copying, which would turn a body of known
        // length into a stream (chunked, and slower to serve).
        response.headers.set('x-request-id', requestId);
        return response;
      }
      const probe = new Request(request.url) as unknown as AllowRequest;
      await allowRouter.fetch(probe);
      const allowed = [...new Set(probe.allowed ?? [])];
      if (allowed.length > 0) {
        return errorResponse(new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(', ')}.`), requestId, {
          allow: allowed.join(', '),
        });
      }
      return errorResponse(new HttpError(404, 'not_found', `No route for ${request.method} ${new URL(request.url).pathname}.`), requestId);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error, requestId);
      console.error(`[${contract.service}] ${request.method} ${new URL(request.url).pathname} failed (request ${requestId}):`, error);
      return errorResponse(new HttpError(500, 'internal_error', 'The service failed to handle this request.'), requestId);
    }
  }
}
