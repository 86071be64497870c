/** Cloudflare's response envelope: `{success, errors, messages, result, result_info?}`. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
  /** Cursor-paged lists (KV keys): where the next page starts; empty on the last page. */
  cursor?: string;
}

export interface ApiMessage {
  code: number;
  message: string;
}

export function ok(c: Context, result: unknown, resultInfo?: ResultInfo): Response {
  return c.json({ success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) });
}

export function failure(c: Context, status: number, errors: ApiMessage[]): Response {
  return c.json({ success: false, errors, messages: [], result: null }, status as ContentfulStatusCode);
}

/** Page `items` the way Cloudflare's paginated list operations do (1-based page, per_page). */
export function paginate<T>(items: readonly T[], query: { page?: string; perPage?: string }, limits: { defaultPerPage: number; maxPerPage: number; minPerPage?: number }): { page: T[]; info: ResultInfo } {
  const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
  const requested = Number.parseInt(query.perPage ?? '', 10);
  const perPage = Number.isNaN(requested) ? limits.defaultPerPage : Math.min(limits.maxPerPage, Math.max(limits.minPerPage ?? 1, requested));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    page: slice,
    info: { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) },
  };
}
