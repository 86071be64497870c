import type { IRequest } from 'itty-router';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { readJsonBody } from './body.ts';
import { HttpError } from './errors.ts';
import type { Route } from './route.ts';
import { checkerOf, issuesOf, type Checked, type Checker } from './schema.ts';

type Part = 'params' | 'query' | 'body';

/** A route's request parts once validated: `undefined` where the route declares no schema. */
export interface ValidParts {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** Reads and validates the parts of a request that its route declares. */
export type PartsReader = (request: IRequest) => ValidParts | Promise<ValidParts>;

function invalid(where: Part, issues: readonly StandardSchemaV1.Issue[]): HttpError {
  const located = issuesOf(issues).map((issue) => ({ path: issue.path ? `${where}.${issue.path}` : where, message: issue.message }));
  return new HttpError(400, 'invalid_request', `Invalid request ${where}.`, located);
}

function valueOf(result: StandardSchemaV1.Result<unknown>, where: Part): unknown {
  if (result.issues) throw invalid(where, result.issues);
  return result.value;
}

/** itty-router hands path parameters over still percent-encoded; most have no `%` and are taken as they are (no copy). */
function decodeParams(params: Record<string, string>): Record<string, string> {
  let decoded: Record<string, string> | undefined;
  for (const name in params) {
    const value = params[name] as string;
    if (!value.includes('%')) continue;
    decoded ??= { ...params };
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, 'invalid_request', `Path parameter "${name}" is not valid percent-encoding.`);
    }
  }
  return decoded ?? params;
}

/**
 * Builds, once per route, the function that validates a request's parts: only the parts the route
 * declares are read (no query without a query schema, no body without a body schema). Params are
 * checked first, then the query, then the body is read and checked: the first bad part answers.
 * Without a body to read and with synchronous schemas (zod's, unless a refinement is async), it
 * answers synchronously: nothing awaited on the hot path.
 */
export function partsReader(route: Route, maxBodyBytes: number): PartsReader {
  const checkParams = route.params && checkerOf(route.params);
  const checkQuery = route.query && checkerOf(route.query);
  const checkBody = route.body && checkerOf(route.body);

  /** The rest of the way once something must be awaited: `params` and `query` as far as they were checked. */
  const readAsync = async (request: IRequest, params: Checked | undefined, query?: Checked): Promise<ValidParts> => {
    const paramsValue = params && valueOf(await params, 'params');
    const queryChecked = query ?? checkQuery?.(request.query);
    const queryValue = queryChecked && valueOf(await queryChecked, 'query');
    const body = checkBody && valueOf(await checkBody(await readJsonBody(request, maxBodyBytes)), 'body');
    return { params: paramsValue, query: queryValue, body };
  };

  /** The body read and checked once `params` and `query` have passed: one read, one check, no extra turns. */
  const readBody = (request: IRequest, params: unknown, query: unknown, check: Checker): Promise<ValidParts> =>
    readJsonBody(request, maxBodyBytes).then((json) => {
      const body = check(json);
      if (body instanceof Promise) return body.then((settled) => ({ params, query, body: valueOf(settled, 'body') }));
      return { params, query, body: valueOf(body, 'body') };
    });

  return (request) => {
    const params = checkParams?.(decodeParams(request.params));
    if (params instanceof Promise) return readAsync(request, params);
    const paramsValue = params && valueOf(params, 'params');
    const query = checkQuery?.(request.query);
    if (query instanceof Promise) return readAsync(request, params, query);
    const queryValue = query && valueOf(query, 'query');
    if (checkBody) return readBody(request, paramsValue, queryValue, checkBody);
    return { params: paramsValue, query: queryValue, body: undefined };
  };
}
