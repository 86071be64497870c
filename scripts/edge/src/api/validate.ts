/**
 * Request validation with Hono's validator and zod (`@hono/zod-validator`): a JSON body that does
 * not match its schema is refused with Cloudflare's envelope and code 10021,
 * naming each field and what was expected; handlers read the typed value with `c.req.valid(…)`.
 */
import { zValidator } from '@hono/zod-validator';
import type { Context } from 'hono';
import type * as z from 'zod';
import { failure } from './envelope.ts';
import { ERRORS, fail } from './errors.ts';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

function describeIssues(where: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.map((issue) => `${issue.path.length > 0 ? `\`${issue.path.join('.')}\`` : where}: ${issue.message}`);
  return `the request ${where} is invalid: ${parts.join('; ')}`;
}

function refuse(c: Context, where: string, issues: readonly z.core.$ZodIssue[]): Response {
  return failure(c, ERRORS.validation.status, [{ code: ERRORS.validation.code, message: describeIssues(where, issues) }]);
}

/**
 * Validates the JSON body against `schema`. The body is read as JSON whatever its content-type says,
 * as Cloudflare's API does (`wrangler queues create` and wrangler's queue provisioning send JSON as
 * `text/plain`); malformed JSON is refused by the error handler (10021).
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  const validate = zValidator('json', schema, (result, c) => (result.success ? undefined : refuse(c, 'body', result.error.issues)));
  const readAsJson: typeof validate = async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) c.req.raw.headers.set('content-type', 'application/json');
    return validate(c, next);
  };
  return readAsJson;
}

/** Validates a value read some other way (a multipart part) against `schema`, failing with 10021. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fail('validation', describeIssues(where, parsed.error.issues));
}
