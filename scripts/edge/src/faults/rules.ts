/**
 * Fault rules: which control-plane requests to disturb, how, and how many times. Paths are
 * matched against the API path after `/client/v4` (query string excluded), as a glob (`*` within
 * one segment, `**` across segments) or a RegExp.
 */
export type FaultAction =
  /** Answer 429 with `retry-after` (seconds) and Cloudflare's rate-limit error. */
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  /** Answer this status (e.g. 500, 502, 503) with a Cloudflare-style error envelope. */
  | { kind: 'status'; status: number; code?: number; message?: string }
  /** Wait, then handle the request normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection without answering. */
  | { kind: 'drop' };

export interface FaultRuleInput {
  /** HTTP method to match; any when absent. */
  method?: string;
  path: string | RegExp;
  /** How many matching requests to disturb; every one when absent. */
  times?: number;
  action: FaultAction;
}

export interface FaultRule {
  id: number;
  method?: string;
  path: string | RegExp;
  remaining: number;
  action: FaultAction;
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? '';
    if (char === '*' && glob[index + 1] === '*') {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function ruleMatches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.remaining <= 0) return false;
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  const pattern = typeof rule.path === 'string' ? globToRegExp(rule.path) : rule.path;
  return pattern.test(path);
}
