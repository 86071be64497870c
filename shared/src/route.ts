import type { InputOf, OutputOf, Schema } from './schema.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The declared responses of a route, by HTTP status. `null` declares a response without a body
 * (e.g. 204). Error responses every route may give (400, 404, 405, 413, 415, 500) need not be listed.
 */
export type ResponseMap = { readonly [status: number]: Schema | null };

/** One operation of a service's HTTP API. */
export interface Route {
  readonly method: Method;
  /** An itty-router path: `/users/:id`. */
  readonly path: string;
  readonly params?: Schema;
  readonly query?: Schema;
  readonly body?: Schema;
  readonly responses: ResponseMap;
  readonly summary?: string;
}

/** Declares a route, keeping its literal types so handlers and clients can be typed from it. */
export function route<const R extends Route>(definition: R): R {
  return definition;
}

type Field<S, Side extends 'in' | 'out'> = Side extends 'in' ? InputOf<S> : OutputOf<S>;

/** The request parts of a route, as the handler sees them (validated) or the caller writes them. */
export type RequestParts<R extends Route, Side extends 'in' | 'out'> = (R['params'] extends Schema
  ? { params: Field<R['params'], Side> }
  : { params?: undefined }) &
  (R['query'] extends Schema ? { query: Field<R['query'], Side> } : { query?: undefined }) &
  (R['body'] extends Schema ? { body: Field<R['body'], Side> } : { body?: undefined });

type BodyOf<S, Side extends 'in' | 'out'> = S extends Schema ? Field<S, Side> : undefined;

/** A response of a route: one of its declared statuses with that status's body. */
export type ResponseOf<R extends Route, Side extends 'in' | 'out'> = {
  [Status in keyof R['responses'] & number]: { status: Status; body: BodyOf<R['responses'][Status], Side> };
}[keyof R['responses'] & number];
