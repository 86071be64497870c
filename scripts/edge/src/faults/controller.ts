/**
 * The fault controller: tests add rules, the control plane consults it for every request, and
 * every request is logged (method, path, status; never headers, so never the token).
 */
import type { FaultAction, FaultRule, FaultRuleInput } from './rules.ts';
import { ruleMatches } from './rules.ts';

export interface RequestLogEntry {
  at: string;
  method: string;
  /** API path after `/client/v4`, without the query string. */
  path: string;
  query: string;
  status: number;
  /** The fault applied, if any. */
  fault?: FaultAction['kind'];
  /** The parsed JSON response body, only while `captureResponses(true)` is on (for schema tests). */
  response?: unknown;
}

export interface FaultController {
  add(rule: FaultRuleInput): FaultRule;
  remove(id: number): void;
  /** Removes every rule (the log is kept). */
  clear(): void;
  rules(): FaultRule[];
  /** Requests received so far, oldest first. */
  log(): RequestLogEntry[];
  clearLog(): void;
  /** The action for this request, consuming one use of the first matching rule. */
  take(method: string, path: string): FaultAction | undefined;
  record(entry: RequestLogEntry): void;
  /** Also keep each JSON response body in the log (off by default). */
  captureResponses(enabled: boolean): void;
  readonly capturingResponses: boolean;
}

export const MAX_LOG_ENTRIES = 10_000;

export function createFaultController(): FaultController {
  let rules: FaultRule[] = [];
  let entries: RequestLogEntry[] = [];
  let nextId = 1;
  let capture = false;
  return {
    captureResponses(enabled) {
      capture = enabled;
    },
    get capturingResponses() {
      return capture;
    },
    add(input) {
      if (input.times !== undefined && (!Number.isInteger(input.times) || input.times < 1)) throw new Error(`fault rule \`times\` must be a positive integer; got ${input.times}`);
      const rule: FaultRule = { id: nextId, path: input.path, remaining: input.times ?? Number.POSITIVE_INFINITY, action: input.action, ...(input.method ? { method: input.method } : {}) };
      nextId += 1;
      rules.push(rule);
      return rule;
    },
    remove(id) {
      rules = rules.filter((rule) => rule.id !== id);
    },
    clear() {
      rules = [];
    },
    rules() {
      return rules.filter((rule) => rule.remaining > 0).map((rule) => ({ ...rule }));
    },
    log() {
      return entries.map((entry) => ({ ...entry }));
    },
    clearLog() {
      entries = [];
    },
    take(method, path) {
      const rule = rules.find((candidate) => ruleMatches(candidate, method, path));
      if (!rule) return undefined;
      rule.remaining -= 1;
      return rule.action;
    },
    record(entry) {
      entries.push(entry);
      if (entries.length > MAX_LOG_ENTRIES) entries = entries.slice(-MAX_LOG_ENTRIES);
    },
  };
}
