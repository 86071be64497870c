/**
 * The D1 query API: `POST …/d1/database/{database_id}/query` (rows as objects) and `…/raw` (rows
 * as arrays with `columns`), schemas and sources in `cloudflare/api/d1-query.ts`. The database is
 * named by uuid (or by name, as the get operation accepts). `sql` may hold several statements; they
 * run as one batch, atomically, as D1 runs them, against the data plane's storage, so the API
 * reads what Workers wrote and Workers read what the API wrote. `params` bind to a single statement.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import { D1QueryBodySchema, D1QueryMetaSchema, type D1QueryMeta, type D1QueryResult, type D1RawResult } from '../../../../cloudflare/api/d1-query.ts';
import { splitSqlStatements } from '../../../../cloudflare/d1/sql-statements.ts';
import type { ApiContext, OperationModule } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireNamed } from '../named-resource.ts';
import { jsonBody } from '../validate.ts';
import { D1_DATABASES } from './d1-databases.ts';

/** What the runtime's `batch` answers per statement (its `meta` has more fields than the API shows). */
const BatchResultsSchema = z.array(z.object({ results: z.array(z.record(z.string(), z.unknown())), success: z.boolean(), meta: D1QueryMetaSchema.partial() }));
type BatchResult = z.infer<typeof BatchResultsSchema>[number];

function metaOf(meta: Partial<D1QueryMeta>): D1QueryMeta {
  return {
    changed_db: meta.changed_db ?? false,
    changes: meta.changes ?? 0,
    duration: meta.duration ?? 0,
    last_row_id: meta.last_row_id ?? 0,
    rows_read: meta.rows_read ?? 0,
    rows_written: meta.rows_written ?? 0,
    size_after: meta.size_after ?? 0,
  };
}

/** SQLite's message without the binding's `D1_ERROR: ` prefix (the API answers SQLite's words). */
function sqlError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^D1_ERROR:\s*/, '');
}

async function runBatch(context: ApiContext, c: Context, sql: string, params: readonly unknown[] | undefined): Promise<BatchResult[]> {
  const database = requireNamed(D1_DATABASES, context.store.state, c.req.param('database_id') ?? '');
  const statements = splitSqlStatements(sql);
  if (statements.length === 0) fail('validation', 'sql holds no statement (only whitespace or comments)');
  if (params && params.length > 0 && statements.length > 1) {
    fail('validation', `params bind to one statement; sql holds ${statements.length} (the first at line ${statements[0]?.line}, the second at line ${statements[1]?.line})`);
  }
  const handle = await context.d1?.database(database.uuid);
  if (!handle) fail('internal', `the data plane does not serve D1 database ${database.uuid} (${database.name})`);
  const prepared = statements.map((statement) => handle.prepare(statement.sql));
  if (params && params.length > 0 && prepared[0]) prepared[0] = prepared[0].bind(...params);
  let results: unknown[];
  try {
    results = await handle.batch(prepared);
  } catch (error) {
    return fail('d1QueryFailed', sqlError(error));
  }
  return BatchResultsSchema.parse(results);
}

export const registerD1Query: OperationModule = (app, context) => {
  const path = '/accounts/:account_id/d1/database/:database_id';

  app.post(`${path}/query`, jsonBody(D1QueryBodySchema), async (c) => {
    const { sql, params } = c.req.valid('json');
    const results = await runBatch(context, c, sql, params);
    return ok(c, results.map((result): D1QueryResult => ({ results: result.results, success: result.success, meta: metaOf(result.meta) })));
  });

  // Columns come from the rows' keys: a statement returning no row answers no columns.
  app.post(`${path}/raw`, jsonBody(D1QueryBodySchema), async (c) => {
    const { sql, params } = c.req.valid('json');
    const results = await runBatch(context, c, sql, params);
    return ok(
      c,
      results.map((result): D1RawResult => {
        const columns = Object.keys(result.results[0] ?? {});
        return { results: { columns, rows: result.results.map((row) => columns.map((column) => row[column])) }, success: result.success, meta: metaOf(result.meta) };
      }),
    );
  });
};
