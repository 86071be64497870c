/**
 * `x-request-id` across service bindings, without the Worker's help: a version with service
 * bindings runs behind a small entry module the edge adds (its main module), which re-exports the
 * Worker's module and hands its `fetch` handler an `env` whose service bindings put the incoming
 * request's `x-request-id` on every subrequest that has none. The edge gives every request an id
 * (edge-request.ts), so one request's log lines in every service it reaches share that id.
 *
 * This is the edge's, not Cloudflare's: on Cloudflare a subrequest carries only the headers the
 * code sets (the contract client passes the id itself). Not covered: a default export that is a
 * class (`WorkerEntrypoint`) or not a module Worker, bindings read from `import { env } from
 * 'cloudflare:workers'` or saved outside the handler, and RPC method calls (they have no headers).
 */
import type { SnapshotBinding } from '../snapshot.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** The entry module's name, beside the Worker's modules (a name a bundler does not produce). */
export const REQUEST_ID_ENTRY_MODULE = '__edgeops-request-id-entry.mjs';

/** The names of a version's service bindings, whose subrequests carry the id. */
export function serviceBindingNames(bindings: readonly SnapshotBinding[]): string[] {
  return bindings.flatMap((binding) => (binding.type === 'service' ? [binding.name] : []));
}

/** The entry module for a version whose ES main module is `mainModule`, with service bindings `names`. */
export function requestIdEntrySource(mainModule: string, names: readonly string[]): string {
  const main = JSON.stringify(`./${mainModule}`);
  return `import * as worker from ${main};
export * from ${main};
const HEADER = ${JSON.stringify(REQUEST_ID_HEADER)};
const SERVICE_BINDINGS = ${JSON.stringify(names)};
function delegate(target, property, replacement) {
  if (property === 'fetch') return replacement;
  const value = Reflect.get(target, property);
  return typeof value === 'function' ? value.bind(target) : value;
}
function carrying(binding, id) {
  const fetch = (input, init) => {
    const request = new Request(input, init);
    if (!request.headers.has(HEADER)) request.headers.set(HEADER, id);
    return binding.fetch(request);
  };
  return new Proxy(binding, { get: (target, property) => delegate(target, property, fetch) });
}
function withRequestId(env, request) {
  const id = request.headers.get(HEADER);
  if (!id || typeof env !== 'object' || env === null) return env;
  const wrapped = { ...env };
  for (const name of SERVICE_BINDINGS) if (env[name]) wrapped[name] = carrying(env[name], id);
  return wrapped;
}
const inner = worker.default;
const fetch = (request, env, ctx) => inner.fetch(request, withRequestId(env, request), ctx);
// A module without a default export gets an empty handler: \`export default undefined\` fails to start.
export default typeof inner === 'object' && inner !== null && typeof inner.fetch === 'function'
  ? new Proxy(inner, { get: (target, property) => delegate(target, property, fetch) })
  : inner ?? {};
`;
}
