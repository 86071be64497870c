/**
 * One definition of an account's named resources (KV namespaces, D1 databases, queues, R2
 * buckets): create by name (a duplicate name refused with the resource's own code), get
 * by id, list with Cloudflare's pagination, delete. Each kind keeps its real API path, body, JSON
 * shape and error codes; this module holds what they share.
 */
import type { Context } from 'hono';
import type * as z from 'zod';
import type { EdgeState } from '../store/state.ts';
import type { ApiContext, OperationModule } from './context.ts';
import { ok, paginate } from './envelope.ts';
import { fail, type ErrorName } from './errors.ts';
import { jsonBody } from './validate.ts';

export interface NamedResourceKind<Row, Body> {
  /** Under `/accounts/:account_id`, e.g. `/storage/kv/namespaces` (see {@link namedPlace}). */
  path: string;
  /** The path parameter naming one resource, e.g. `namespace_id`. */
  idParam: string;
  /** The kind's list in the edge's state. */
  records(state: Readonly<EdgeState>): readonly Row[];
  replaceRecords(draft: EdgeState, records: Row[]): void;
  /** The create body (shared with the reconciler's client). */
  createBody: z.ZodType<Body>;
  /** The resource's name: the same field in the create body and the record (`title`, `name`, `queue_name`). */
  nameOf(named: Row | Body): string;
  /** A new record for `body`, created at `now` (ISO time). */
  create(body: Body, now: string): Row;
  /** Whether `id` (the path parameter) names `row`. */
  identifiedBy(row: Row, id: string): boolean;
  /** The JSON shape Cloudflare answers with. */
  show(state: Readonly<EdgeState>, row: Row): unknown;
  /** The list's `per_page`: when absent, and its bounds (see {@link namedPlace}). */
  paging: { defaultPerPage: number; maxPerPage: number; minPerPage?: number };
  list: {
    /** Filters and orders by the list operation's query (`?name=`, `?order=`…); all, unordered, when absent. */
    select?(rows: readonly Row[], c: Context): readonly Row[];
    /** The list's `result` built from the shown page; the bare array when absent (R2 wraps it in `{buckets}`). */
    result?(shown: unknown[]): unknown;
  };
  /** Refuses a delete the kind does not allow (an R2 bucket still holding objects); runs before the delete. */
  checkDelete?(row: Row, context: ApiContext): Promise<void>;
  exists: { error: ErrorName; message(name: string): string };
  notFound: { error: ErrorName; message(id: string): string };
}

/**
 * Where each kind lives: its path under `/accounts/:account_id`, the path parameter naming one
 * resource, its name (the same field in the create body and the record) and its list's `per_page`
 * (default and bounds, as Cloudflare documents each list), keyed by the kind's list in the edge's
 * state.
 */
const PLACES = {
  kvNamespaces: { path: '/storage/kv/namespaces', idParam: 'namespace_id', nameOf: (named: { title: string }) => named.title, paging: { defaultPerPage: 20, maxPerPage: 1000, minPerPage: 5 } },
  d1Databases: { path: '/d1/database', idParam: 'database_id', nameOf: (named: { name: string }) => named.name, paging: { defaultPerPage: 1000, maxPerPage: 10000, minPerPage: 10 } },
  queues: { path: '/queues', idParam: 'queue_id', nameOf: (named: { queue_name: string }) => named.queue_name, paging: { defaultPerPage: 100, maxPerPage: 1000 } },
  r2Buckets: { path: '/r2/buckets', idParam: 'bucket_name', nameOf: (named: { name: string }) => named.name, paging: { defaultPerPage: 20, maxPerPage: 1000 } },
} as const;

type NamedStateKey = keyof typeof PLACES;

/** A kind's `path`, `idParam`, `nameOf`, `paging`, `records` and `replaceRecords`: its place, with its records the edge state's list `key`. */
export function namedPlace<K extends NamedStateKey>(key: K): (typeof PLACES)[K] & { records(state: Readonly<EdgeState>): EdgeState[K]; replaceRecords(draft: EdgeState, records: EdgeState[K]): void } {
  return {
    ...PLACES[key],
    records: (state) => state[key],
    replaceRecords: (draft, records) => {
      draft[key] = records;
    },
  };
}

/** Finds a resource by its path id, or fails with the kind's not-found error. */
export function requireNamed<Row, Body>(kind: NamedResourceKind<Row, Body>, state: Readonly<EdgeState>, id: string): Row {
  return kind.records(state).find((row) => kind.identifiedBy(row, id)) ?? fail(kind.notFound.error, kind.notFound.message(id));
}

/** Fails with the kind's duplicate-name error when another resource (not `except`) has `name`. */
export function checkNameFree<Row, Body>(kind: NamedResourceKind<Row, Body>, state: Readonly<EdgeState>, name: string, except?: Row): void {
  if (kind.records(state).some((row) => row !== except && kind.nameOf(row) === name)) fail(kind.exists.error, kind.exists.message(name));
}

/** The four operations of a named-resource kind, as one operation module. */
export function namedResourceOperations<Row, Body>(kind: NamedResourceKind<Row, Body>): OperationModule {
  const collection = `/accounts/:account_id${kind.path}`;
  const item = `${collection}/:${kind.idParam}`;
  return (app, context) => {
    const { store } = context;
    app.get(collection, (c) => {
      const { state } = store;
      const rows = kind.list.select ? kind.list.select(kind.records(state), c) : kind.records(state);
      const { page, info } = paginate(rows, { page: c.req.query('page'), perPage: c.req.query('per_page') }, kind.paging);
      const shown = page.map((row) => kind.show(state, row));
      return ok(c, kind.list.result ? kind.list.result(shown) : shown, info);
    });

    app.post(collection, jsonBody(kind.createBody), async (c) => {
      const body: Body = c.req.valid('json');
      const created = await store.transaction((draft) => {
        checkNameFree(kind, draft, kind.nameOf(body));
        const row = kind.create(body, new Date().toISOString());
        kind.replaceRecords(draft, [...kind.records(draft), row]);
        return row;
      });
      return ok(c, kind.show(store.state, created));
    });

    app.get(item, (c) => ok(c, kind.show(store.state, requireNamed(kind, store.state, c.req.param(kind.idParam) ?? ''))));

    app.delete(item, async (c) => {
      const id = c.req.param(kind.idParam) ?? '';
      if (kind.checkDelete) await kind.checkDelete(requireNamed(kind, store.state, id), context);
      await store.transaction((draft) => {
        const row = requireNamed(kind, draft, id);
        kind.replaceRecords(draft, kind.records(draft).filter((candidate) => candidate !== row));
      });
      return ok(c, null);
    });
  };
}
