/**
 * The data plane's router. The data plane's listener (listener.ts) resolves each request itself and
 * sends one that reaches a deployed version straight to that version Worker's own socket
 * (upstream-selection.ts); what comes here is the rest: requests that reach no deployed Worker (no
 * route matched, a negating route, a script without a deployment), answered with the edge's JSON
 * 404/503, and any request when the listener has no routing (one runtime address given alone). It
 * arrives on a workerd socket straight into this worker (Miniflare's `unsafeDirectSockets`), with
 * Cloudflare's headers and `request.cf` (the listener adds them, and the answer's `cf-ray`). It
 * matches the request against the route table (a JSON binding) and calls the chosen version's worker
 * through a service binding, choosing the version as the listener does (version-split.ts).
 * The same bundle serves as a script's entry worker (a service-binding target that splits by
 * percentage), with `fixedScript` set in its table.
 * Bundled with esbuild (see bundle.ts); it imports only runtime-neutral modules.
 */
import type { RequestTarget } from '../../../cloudflare/route-match.ts';
import type { RouteScheme } from '../../../cloudflare/route-pattern.ts';
import { compileDispatchTable, resolveDispatch, type CompiledDispatchTable } from './dispatch.ts';
import { TABLE_BINDING, type DispatchTable } from './dispatch-table.ts';
import { edgeErrorHeaders, edgeErrorText, type EdgeErrorBody } from './edge-error.ts';
import { routingHost, routingScheme } from './request-target.ts';
import { chooseVersion, VERSION_KEY_HEADER, VERSION_OVERRIDES_HEADER } from './version-split.ts';

interface ServiceBinding {
  fetch(request: Request): Promise<Response>;
}

type RouterEnv = Record<string, unknown> & { [TABLE_BINDING]: DispatchTable };

// A table never changes under a running isolate: applying a new snapshot restarts workerd.
let compiled: CompiledDispatchTable | undefined;

function compiledTable(env: RouterEnv): CompiledDispatchTable {
  compiled ??= compileDispatchTable(env[TABLE_BINDING]);
  return compiled;
}

function json(status: number, body: EdgeErrorBody): Response {
  return new Response(edgeErrorText(body), { status, headers: edgeErrorHeaders(body) });
}

function schemeOf(request: Request, url: URL): RouteScheme {
  return routingScheme(request.headers.get('x-forwarded-proto'), url.protocol === 'https:' ? 'https' : 'http');
}

function hostOf(request: Request, url: URL): string {
  return routingHost(request.headers.get('host') ?? url.host);
}

/**
 * The request as a Worker on Cloudflare would see it. The listener already gave it Cloudflare's
 * headers and `request.cf` (forwarded-headers.ts, edge-request.ts); what is left is the public URL
 * (scheme from X-Forwarded-Proto, no port). When workerd's URL is that already, the request goes on
 * as it came, with no copy of its headers or body.
 */
function publicRequest(request: Request, target: RequestTarget): Request {
  const url = `${target.scheme}://${target.host}${target.pathAndQuery}`;
  return request.url === url ? request : new Request(url, request);
}

function isServiceBinding(value: unknown): value is ServiceBinding {
  return typeof value === 'object' && value !== null && 'fetch' in value;
}

/** Routes one request; `isPublic` when this is the public router (not a script's entry worker). */
async function route(request: Request, env: RouterEnv, isPublic: boolean): Promise<Response> {
  const table = compiledTable(env);
  const url = new URL(request.url);
  const target: RequestTarget = {
    scheme: schemeOf(request, url),
    host: hostOf(request, url),
    pathAndQuery: `${url.pathname}${url.search}`,
  };
  const dispatch = resolveDispatch(table, target);
  if (dispatch.kind === 'unmatched') {
    return json(404, {
      error: 'no_route_matched',
      message: `No route, custom domain or workers.dev host matched ${target.scheme}://${target.host}${target.pathAndQuery}`,
      host: target.host,
      path: target.pathAndQuery,
    });
  }
  if (dispatch.kind === 'negated') {
    return json(404, {
      error: 'route_negated',
      message: `The route "${dispatch.pattern}" has no Worker, so ${target.host}${target.pathAndQuery} goes to no Worker (and this edge has no origin behind it)`,
      host: target.host,
      path: target.pathAndQuery,
    });
  }
  const script = table.table.scripts[dispatch.script];
  if (!script || script.versions.length === 0) {
    return json(503, {
      error: 'script_not_deployed',
      message: `${dispatch.via === 'route' ? `The route "${dispatch.pattern ?? ''}"` : `The ${dispatch.via} host ${target.host}`} sends requests to the Worker "${dispatch.script}", which has no deployment`,
      script: dispatch.script,
    });
  }
  const version = chooseVersion(script.versions, {
    script: dispatch.script,
    overridesHeader: request.headers.get(VERSION_OVERRIDES_HEADER),
    versionKey: request.headers.get(VERSION_KEY_HEADER),
    random: Math.random,
  });
  const binding = env[version.binding];
  if (!isServiceBinding(binding)) {
    return json(500, { error: 'edge_misconfigured', message: `No binding ${version.binding} for ${dispatch.script}@${version.id}` });
  }
  const forwarded = isPublic ? publicRequest(request, target) : request;
  try {
    return await binding.fetch(forwarded);
  } catch (error) {
    return json(500, {
      error: 'worker_threw_exception',
      message: `The Worker "${dispatch.script}" (version ${version.id}) threw: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

export default {
  fetch(request: Request, env: RouterEnv): Promise<Response> {
    return route(request, env, compiledTable(env).table.fixedScript === undefined);
  },
};
