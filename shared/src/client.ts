import type { Contract } from './contract.ts';
import { ErrorBody, type ImplicitErrorStatus } from './errors.ts';
import type { RequestParts, ResponseOf, Route } from './route.ts';
import { checkerOf, issuesOf, type Schema } from './schema.ts';

/** Anything with a `fetch` like a service binding (`env.USERS`). */
export interface FetcherLike {
  fetch(input: Request): Promise<Response>;
}

export type ClientTarget =
  /** A service binding; `origin` only names the host the callee sees. */
  | { binding: FetcherLike; origin?: string }
  /** A base URL such as `https://api.example.com`. */
  | { baseUrl: string; fetch?: (request: Request) => Promise<Response> };

export interface ClientOptions {
  /** Sent as `x-request-id` so one request can be followed across services. */
  requestId?: string;
  headers?: Record<string, string>;
}

/** A declared response, or one of the JSON errors every route may answer with. */
export type ClientResult<R extends Route> =
  | ResponseOf<R, 'out'>
  | { status: Exclude<ImplicitErrorStatus, keyof R['responses']>; body: ErrorBody };

type Call<R extends Route> = {} extends RequestParts<R, 'in'>
  ? (input?: RequestParts<R, 'in'>) => Promise<ClientResult<R>>
  : (input: RequestParts<R, 'in'>) => Promise<ClientResult<R>>;

export type Client<C extends Contract> = { [Op in keyof C['routes']]: Call<C['routes'][Op]> };

/** The caller or the callee broke the contract: a bug, not a response to handle. */
export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new ContractViolation(`missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function checkInput(schema: Schema | undefined, value: unknown, where: string, label: string): Promise<void> {
  if (!schema) return;
  const result = await checkerOf(schema, 'check')(value);
  if (result.issues) {
    const issues = issuesOf(result.issues).map((issue) => `${where}${issue.path ? `.${issue.path}` : ''}: ${issue.message}`).join('; ');
    throw new ContractViolation(`${label}: the request breaks the contract: ${issues}`);
  }
}

async function readResult(route: Route, response: Response, label: string): Promise<{ status: number; body: unknown }> {
  const declared = route.responses[response.status];
  if (declared === null) return { status: response.status, body: undefined };
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ContractViolation(`${label}: status ${response.status} with a body that is not JSON`);
  }
  const schema = declared ?? (response.status >= 400 ? ErrorBody : undefined);
  if (!schema) throw new ContractViolation(`${label}: status ${response.status} is not declared by the contract`);
  const result = await checkerOf(schema, 'parse')(body);
  if (result.issues) {
    const issues = issuesOf(result.issues).map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
    throw new ContractViolation(`${label}: the ${response.status} response breaks the contract: ${issues}`);
  }
  return { status: response.status, body: result.value };
}

/**
 * A typed client for a contract, over a service binding or a URL. Requests are checked against the
 * contract before they are sent and responses after they arrive: a mismatch throws
 * {@link ContractViolation}. Declared responses and JSON errors are returned, discriminated by status.
 */
export function createClient<C extends Contract>(contract: C, target: ClientTarget, options: ClientOptions = {}): Client<C> {
  const origin = 'binding' in target ? (target.origin ?? `https://${contract.service}.internal`) : target.baseUrl.replace(/\/$/, '');
  const send = 'binding' in target ? (request: Request) => target.binding.fetch(request) : (target.fetch ?? ((request: Request) => fetch(request)));
  const client: Record<string, (input?: { params?: unknown; query?: unknown; body?: unknown }) => Promise<unknown>> = {};

  for (const [operation, route] of Object.entries(contract.routes)) {
    const label = `${contract.service}.${operation}`;
    client[operation] = async (input = {}) => {
      await checkInput(route.params, input.params, 'params', label);
      await checkInput(route.query, input.query, 'query', label);
      await checkInput(route.body, input.body, 'body', label);
      const url = origin + fillPath(route.path, input.params as Record<string, unknown>) + queryString(input.query as Record<string, unknown>);
      const headers = new Headers(options.headers);
      headers.set('accept', 'application/json');
      if (options.requestId) headers.set('x-request-id', options.requestId);
      const init: RequestInit = { method: route.method, headers };
      if (route.body) {
        headers.set('content-type', 'application/json');
        init.body = JSON.stringify(input.body);
      }
      const response = await send(new Request(url, init));
      return readResult(route, response, label);
    };
  }
  return client as Client<C>;
}
