import * as z from 'zod';
import type { Issue } from './schema.ts';

/** The body of every error response a contract provider gives. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Statuses any route may answer with an {@link ErrorBody}, declared or not. */
export const IMPLICIT_ERROR_STATUSES = [400, 404, 405, 413, 415, 500] as const;
export type ImplicitErrorStatus = (typeof IMPLICIT_ERROR_STATUSES)[number];

/** A failure a handler can throw to answer with a JSON error of its choosing. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorResponse(error: HttpError, requestId: string, headers: Record<string, string> = {}): Response {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, requestId, ...(error.issues ? { issues: error.issues } : {}) },
  };
  return Response.json(body, { status: error.status, headers: { 'x-request-id': requestId, ...headers } });
}
