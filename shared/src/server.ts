import { IttyRouter, type IRequest } from 'itty-router';
import { DEFAULT_MAX_BODY_BYTES, discardBody } from './body.ts';
import type { Contract } from './contract.ts';
import { HttpError, errorResponse } from './errors.ts';
import { OPENAPI_PATH, openApiDocument, type OpenApiDocument } from './openapi.ts';
import { jsonResponse, replier } from './reply.ts';
import { partsReader, type ValidParts } from './request-parts.ts';
import type { RequestParts, ResponseOf, Route } from './route.ts';

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
  const router = IttyRouter<IRequest, RouteArgs<Env>>();
  const allowRouter = IttyRouter<AllowRequest>();

  for (const [operation, route] of Object.entries(contract.routes)) {
    const handler = handlers[operation] as unknown as Handler<Route, Env>;
    const readParts = partsReader(route, maxBodyBytes);
    const reply = replier(route, checkResponses);
    const respond = (parts: ValidParts, request: IRequest, env: Env, ctx: ExecutionContextLike, requestId: string): Response | Promise<Response> => {
      const answered = handler({ params: parts.params, query: parts.query, body: parts.body, request, env, ctx, requestId } as HandlerInput<Route, Env>);
      return answered instanceof Promise ? answered.then((settled) => reply(settled, requestId)) : reply(answered, requestId);
    };
    // Synchronous as long as the route reads no body and its schemas and handler answer synchronously.
    router[lowerMethod[route.method]](route.path, (request: IRequest, env: Env, ctx: ExecutionContextLike, requestId: string) => {
      const parts = readParts(request);
      return parts instanceof Promise ? parts.then((settled) => respond(settled, request, env, ctx, requestId)) : respond(parts, request, env, ctx, requestId);
    });
    allowRouter.all(route.path, (request: AllowRequest) => {
      (request.allowed ??= []).push(route.method);
    });
  }

  if (options.openapi !== false) {
    const version = typeof options.openapi === 'object' ? options.openapi.version : 'unversioned';
    let document: OpenApiDocument | undefined;
    router.get(OPENAPI_PATH, (_request: IRequest, _env: Env, _ctx: ExecutionContextLike, requestId: string) => jsonResponse(200, (document ??= openApiDocument(contract, { version })), requestId));
    allowRouter.all(OPENAPI_PATH, (request: AllowRequest) => {
      (request.allowed ??= []).push('GET');
    });
  }

  return {
    async fetch(request, env, ctx) {
      const requestId = request.headers.get('x-request-id') || crypto.randomUUID();
      let response: Response;
      try {
        // Every matched route answers with a Response built here (reply.ts), x-request-id already among its headers.
        response = (await router.fetch(request, env, ctx, requestId)) ?? (await unrouted(request, requestId));
      } catch (error) {
        response = failed(request, requestId, error);
      }
      if (!request.bodyUsed && request.body !== null) await discardBody(request).catch(() => undefined);
      return response;
    },
  };

  /** 405 with `Allow` on a known path, else 404. */
  async function unrouted(request: Request, requestId: string): Promise<Response> {
    const probe = new Request(request.url) as unknown as AllowRequest;
    await allowRouter.fetch(probe);
    const allowed = [...new Set(probe.allowed ?? [])];
    if (allowed.length > 0) {
      return errorResponse(new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(', ')}.`), requestId, {
        allow: allowed.join(', '),
      });
    }
    return errorResponse(new HttpError(404, 'not_found', `No route for ${request.method} ${new URL(request.url).pathname}.`), requestId);
  }

  function failed(request: Request, requestId: string, error: unknown): Response {
    if (error instanceof HttpError) return errorResponse(error, requestId);
    console.error(`[${contract.service}] ${request.method} ${new URL(request.url).pathname} failed (request ${requestId}):`, error);
    return errorResponse(new HttpError(500, 'internal_error', 'The service failed to handle this request.'), requestId);
  }
}
