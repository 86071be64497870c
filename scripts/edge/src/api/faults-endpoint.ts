/**
 * `/__edge/faults` on the API port, for out-of-process tests (same bearer token as the API):
 * GET → `{rules, log}`; POST a rule → the rule with its id; DELETE → clear rules (and, with
 * `?log=true`, the request log).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { FaultController, FaultRule } from '../faults/index.ts';
import { failure, ok } from './envelope.ts';
import { ERRORS } from './errors.ts';

const ACTION = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0).optional() }),
  z.object({ kind: z.literal('status'), status: z.number().int().min(400).max(599), code: z.number().int().min(1000).optional(), message: z.string().optional() }),
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(600_000) }),
  z.object({ kind: z.literal('drop') }),
]);

export const FAULT_RULE_BODY = z.object({
  method: z.string().optional(),
  /** A glob over the API path after /client/v4, e.g. `/accounts/*\/workers/scripts/**`. */
  path: z.string().min(1),
  /** Treat `path` as a regular expression instead of a glob. */
  regex: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
  action: ACTION,
});

function ruleResource(rule: FaultRule): Record<string, unknown> {
  return { ...rule, path: String(rule.path), remaining: Number.isFinite(rule.remaining) ? rule.remaining : null };
}

export function faultsEndpoint(faults: FaultController): Hono {
  const app = new Hono();
  app.get('/', (c) => ok(c, { rules: faults.rules().map(ruleResource), log: faults.log() }));
  app.post('/', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return failure(c, 400, [{ code: ERRORS.validation.code, message: 'the body must be JSON: {method?, path, regex?, times?, action}' }]);
    }
    const parsed = FAULT_RULE_BODY.safeParse(body);
    if (!parsed.success) {
      return failure(c, 400, parsed.error.issues.map((issue) => ({ code: ERRORS.validation.code, message: `${issue.path.join('.') || 'body'}: ${issue.message}` })));
    }
    const { regex, path, ...rest } = parsed.data;
    let pattern: string | RegExp = path;
    if (regex) {
      try {
        pattern = new RegExp(path);
      } catch (error) {
        return failure(c, 400, [{ code: ERRORS.validation.code, message: `path: ${(error as Error).message}` }]);
      }
    }
    return ok(c, ruleResource(faults.add({ ...rest, path: pattern })));
  });
  app.delete('/', (c) => {
    faults.clear();
    if (c.req.query('log') === 'true') faults.clearLog();
    return ok(c, null);
  });
  return app;
}
