/**
 * Cloudflare's API v4 response envelope (`{success, errors, messages, result, result_info?}`), as
 * every operation answers: https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/
 */
import * as z from 'zod';

export const ApiMessageSchema = z.object({ code: z.number().int(), message: z.string() });
export type ApiMessage = z.infer<typeof ApiMessageSchema>;

/** Page information of list operations (1-based `page`, `per_page`, counts). */
export const ResultInfoSchema = z.object({
  page: z.number().int().optional(),
  per_page: z.number().int().optional(),
  count: z.number().int().optional(),
  total_count: z.number().int().optional(),
  total_pages: z.number().int().optional(),
});
export type ResultInfo = z.infer<typeof ResultInfoSchema>;

/** Reads `value` (an answer's `result`) with `schema`, or throws naming the operation and what did not match. */
export function readResult<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'result'}: ${issue.message}`).join('; ');
  throw new Error(`${operation}: the API answered a result of an unexpected shape (${issues})`);
}
