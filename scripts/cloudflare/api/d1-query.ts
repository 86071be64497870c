/**
 * The D1 query API (api-schemas operations `cloudflare-d1-query-database` and
 * `cloudflare-d1-raw-database-query`:
 * https://developers.cloudflare.com/api/resources/d1/subresources/database/methods/query/ and
 * …/methods/raw/). The body is `{ sql, params? }`; `sql` may hold several statements, and the
 * result holds one entry per statement: rows as objects (`/query`) or as `{ columns, rows }`
 * (`/raw`), with D1's `meta`. wrangler's `d1 execute --remote` and `d1 migrations apply|list
 * --remote` send `/query` (workers-sdk `packages/wrangler/src/d1/execute.ts`, `executeRemotely`).
 */
import * as z from 'zod';

const param = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const D1QueryBodySchema = z.object({ sql: z.string().min(1, 'sql must not be empty'), params: z.array(param).optional() });
export type D1QueryBody = z.infer<typeof D1QueryBodySchema>;

export const D1QueryMetaSchema = z.object({
  changed_db: z.boolean(),
  changes: z.number(),
  duration: z.number(),
  last_row_id: z.number(),
  rows_read: z.number(),
  rows_written: z.number(),
  size_after: z.number(),
});
export type D1QueryMeta = z.infer<typeof D1QueryMetaSchema>;

const cell = z.unknown();

export const D1QueryResultSchema = z.object({ results: z.array(z.record(z.string(), cell)), success: z.boolean(), meta: D1QueryMetaSchema });
export type D1QueryResult = z.infer<typeof D1QueryResultSchema>;

export const D1RawResultSchema = z.object({
  results: z.object({ columns: z.array(z.string()), rows: z.array(z.array(cell)) }),
  success: z.boolean(),
  meta: D1QueryMetaSchema,
});
export type D1RawResult = z.infer<typeof D1RawResultSchema>;
